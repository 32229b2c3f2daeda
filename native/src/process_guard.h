// The addon's process-level protections as JS functions: making the process
// non-dumpable, and what the secure memory holds (secure_memory.h).
#pragma once

#include <napi.h>

namespace gatehouse {

// makeUndumpable(): prctl(PR_SET_DUMPABLE, 0); returns the dumpable state after it (false).
Napi::Value MakeUndumpable(const Napi::CallbackInfo& info);
// processDumpable(): prctl(PR_GET_DUMPABLE) as a boolean.
Napi::Value ProcessDumpableJs(const Napi::CallbackInfo& info);
// secureMemory(): { mappedBytes, lockedBytes, dontdumpBytes }.
Napi::Value SecureMemoryInfo(const Napi::CallbackInfo& info);

}  // namespace gatehouse
