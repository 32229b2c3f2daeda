// Entry point of the gatehouse_pam addon. Node-API only (NAPI_VERSION is pinned in
// binding.gyp), so one binary loads in Node and in Electron.
#include <napi.h>

#include "bridge.h"
#include "constants.h"
#include "conversation.h"
#include "errors.h"
#include "handle.h"
#include "peer_credentials.h"
#include "message_locale.h"
#include "process_guard.h"

namespace gatehouse {

namespace {

// registerReceivers(onDone, onConversation) → receiversId (see js_events.h).
Napi::Value RegisterReceivers(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  if (!info[0].IsFunction() || !info[1].IsFunction()) {
    ThrowTypeError(env, "onDone and onConversation must be functions");
  }
  const uint32_t id = Bridge::Get(env)->RegisterReceivers(info[0].As<Napi::Function>(),
                                                          info[1].As<Napi::Function>());
  return Napi::Number::New(env, id);
}

// shutdown(): what environment teardown does, for process.exit(), which ends the
// process without tearing the environment down.
Napi::Value Shutdown(const Napi::CallbackInfo& info) {
  if (auto bridge = Bridge::Find(info.Env())) bridge->Shutdown();
  return info.Env().Undefined();
}

// { 1: 'echo-off', 2: 'echo-on', ... }: the message styles the conversation passes on.
Napi::Object StyleNames(Napi::Env env) {
  Napi::Object names = Napi::Object::New(env);
  for (int style = 0; style < 64; ++style) {
    if (const char* name = StyleName(style)) names.Set(static_cast<uint32_t>(style), name);
  }
  return names;
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
  exports.Set("operationCodes", OperationCodes(env));
  exports.Set("styleNames", StyleNames(env));
  exports.Set("constants", MakeConstants(env));
  exports.Set("returnCodeNames", MakeReturnCodeNames(env));
  exports.Set("hasStartConfdir", Napi::Boolean::New(env, HaveStartConfdir()));
  exports.Set("napiVersion", Napi::Number::New(env, NAPI_VERSION));
  exports.Set("shutdown", Napi::Function::New(env, Shutdown, "shutdown"));
  exports.Set("registerReceivers", Napi::Function::New(env, RegisterReceivers, "registerReceivers"));
  exports.Set("peerCredentials", Napi::Function::New(env, PeerCredentials, "peerCredentials"));
  exports.Set("localeAvailable", Napi::Function::New(env, LocaleAvailableJs, "localeAvailable"));
  exports.Set("makeUndumpable", Napi::Function::New(env, MakeUndumpable, "makeUndumpable"));
  exports.Set("processDumpable", Napi::Function::New(env, ProcessDumpableJs, "processDumpable"));
  exports.Set("secureMemory", Napi::Function::New(env, SecureMemoryInfo, "secureMemory"));
  return exports;
}

}  // namespace gatehouse

static Napi::Object InitAddon(Napi::Env env, Napi::Object exports) {
  return gatehouse::Init(env, exports);
}

NODE_API_MODULE(gatehouse_pam, InitAddon)
