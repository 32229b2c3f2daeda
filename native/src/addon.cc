// Entry point of the gatehouse_pam addon. Node-API only (NAPI_VERSION is pinned in
// binding.gyp), so one binary loads in Node and in Electron.
#include <napi.h>

#include "bridge.h"
#include "constants.h"
#include "handle.h"
#include "message_locale.h"

namespace gatehouse {

namespace {

// shutdown(): what environment teardown does, for process.exit(), which ends the
// process without tearing the environment down.
Napi::Value Shutdown(const Napi::CallbackInfo& info) {
  if (auto bridge = Bridge::Find(info.Env())) bridge->Shutdown();
  return info.Env().Undefined();
}

// localeAvailable(name): whether newlocale finds the locale (see message_locale.h).
Napi::Value LocaleAvailableJs(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  if (!info[0].IsString()) return Napi::Boolean::New(env, false);
  return Napi::Boolean::New(env, LocaleAvailable(info[0].As<Napi::String>().Utf8Value()));
}

}  // namespace

Napi::Object Init(Napi::Env env, Napi::Object exports) {
  exports.Set("PamHandle", PamHandle::Define(env));
  exports.Set("constants", MakeConstants(env));
  exports.Set("returnCodeNames", MakeReturnCodeNames(env));
  exports.Set("hasStartConfdir", Napi::Boolean::New(env, HaveStartConfdir()));
  exports.Set("napiVersion", Napi::Number::New(env, NAPI_VERSION));
  exports.Set("shutdown", Napi::Function::New(env, Shutdown, "shutdown"));
  exports.Set("localeAvailable", Napi::Function::New(env, LocaleAvailableJs, "localeAvailable"));
  return exports;
}

}  // namespace gatehouse

static Napi::Object InitAddon(Napi::Env env, Napi::Object exports) {
  return gatehouse::Init(env, exports);
}

NODE_API_MODULE(gatehouse_pam, InitAddon)
