// The PAM numbers the addon exposes to JS and the names of the return codes.
#pragma once

#include <napi.h>

namespace gatehouse {

// { PAM_SUCCESS: 0, PAM_SILENT: 32768, ... } — every integer PAM_* macro of the headers.
Napi::Object MakeConstants(Napi::Env env);
// { 0: 'PAM_SUCCESS', 7: 'PAM_AUTH_ERR', ... } — the return values only.
Napi::Object MakeReturnCodeNames(Napi::Env env);

}  // namespace gatehouse
