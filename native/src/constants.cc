#include "constants.h"

#include <security/pam_appl.h>
#include <security/pam_ext.h>
#include <security/pam_modules.h>

namespace gatehouse {

Napi::Object MakeConstants(Napi::Env env) {
  Napi::Object out = Napi::Object::New(env);
#define GH_CONSTANT(name) out.Set(#name, Napi::Number::New(env, static_cast<double>(name)));
#define GH_RETURN_CODE(name)
#include "pam_constants.inc"
#undef GH_CONSTANT
#undef GH_RETURN_CODE
  out.Freeze();
  return out;
}

Napi::Object MakeReturnCodeNames(Napi::Env env) {
  Napi::Object out = Napi::Object::New(env);
#define GH_CONSTANT(name)
#define GH_RETURN_CODE(name) out.Set(Napi::Number::New(env, name), Napi::String::New(env, #name));
#include "pam_constants.inc"
#undef GH_CONSTANT
#undef GH_RETURN_CODE
  out.Freeze();
  return out;
}

}  // namespace gatehouse
