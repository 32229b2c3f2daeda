#include "process_guard.h"

#include <cstring>
#include <string>

#include "errors.h"
#include "secure_memory.h"

namespace gatehouse {

Napi::Value MakeUndumpable(const Napi::CallbackInfo& info) {
  const int error = MakeProcessUndumpable();
  if (error != 0) ThrowCodeError(info.Env(), "ERR_PRCTL", std::string("prctl(PR_SET_DUMPABLE) failed: ") + std::strerror(error));
  return Napi::Boolean::New(info.Env(), ProcessDumpable() == 1);
}

Napi::Value ProcessDumpableJs(const Napi::CallbackInfo& info) {
  return Napi::Boolean::New(info.Env(), ProcessDumpable() == 1);
}

Napi::Value SecureMemoryInfo(const Napi::CallbackInfo& info) {
  const SecureMemoryStats stats = GetSecureMemoryStats();
  Napi::Object result = Napi::Object::New(info.Env());
  result.Set("mappedBytes", Napi::Number::New(info.Env(), static_cast<double>(stats.mapped_bytes)));
  result.Set("lockedBytes", Napi::Number::New(info.Env(), static_cast<double>(stats.locked_bytes)));
  result.Set("dontdumpBytes", Napi::Number::New(info.Env(), static_cast<double>(stats.dontdump_bytes)));
  return result;
}

}  // namespace gatehouse
