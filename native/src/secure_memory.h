// Memory for secrets (prompt answers, the PAM environment): pages locked in RAM
// where the memlock limit allows (never written to swap), excluded from core
// dumps (MADV_DONTDUMP, which gdb's gcore honours too) and wiped in a forked
// child (MADV_WIPEONFORK). SecureBuffer (secure_buffer.h) allocates here.
//
// And the process-wide switch that goes with it: a process that holds answers
// is made non-dumpable (no core file, no ptrace or /proc/PID/mem by its own user).
#pragma once

#include <cstddef>

namespace gatehouse {

// `size` bytes of secure memory; throws std::bad_alloc when none can be had.
void* SecureAlloc(size_t size);
// Gives back what SecureAlloc(size) returned. The caller has wiped it.
void SecureFree(void* p, size_t size);

struct SecureMemoryStats {
  size_t mapped_bytes = 0;   // reserved for secrets, in all
  size_t locked_bytes = 0;   // of which mlock()ed
  size_t dontdump_bytes = 0; // of which excluded from core dumps
};
SecureMemoryStats GetSecureMemoryStats();

// prctl(PR_SET_DUMPABLE, 0). Returns 0, or the errno of the failure.
int MakeProcessUndumpable();
// prctl(PR_GET_DUMPABLE): 1 dumpable, 0 not, -1 unknown.
int ProcessDumpable();

}  // namespace gatehouse
