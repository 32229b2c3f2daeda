#include "secure_memory.h"

#include <sys/mman.h>
#include <sys/prctl.h>
#include <unistd.h>

#include <cerrno>
#include <cstdint>
#include <mutex>
#include <new>

namespace gatehouse {

namespace {

// Small secrets share slabs, carved into blocks of a few size classes (64 B to
// 4 KiB); bigger ones get pages of their own. Slabs are never given back: what
// a process holds at once is small (a batch of answers, an environment).
constexpr size_t kMinBlock = 64;
constexpr size_t kMaxBlock = 4096;
constexpr int kClasses = 7;  // 64, 128, ..., 4096
constexpr size_t kSlabBytes = 64 * 1024;

struct FreeBlock {
  FreeBlock* next;
};

struct Arena {
  std::mutex mutex;
  FreeBlock* free[kClasses] = {};
  SecureMemoryStats stats;
};

Arena& TheArena() {
  static Arena* arena = new Arena();  // never destroyed: buffers may outlive static destructors
  return *arena;
}

size_t PageSize() {
  static const size_t size = static_cast<size_t>(sysconf(_SC_PAGESIZE));
  return size;
}

int ClassOf(size_t size) {
  int c = 0;
  for (size_t block = kMinBlock; block < size; block <<= 1) ++c;
  return c;
}

// Fresh anonymous pages, protected as well as the system allows. Needs the arena's mutex.
void* MapProtected(size_t bytes, SecureMemoryStats* stats) {
  void* p = mmap(nullptr, bytes, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  if (p == MAP_FAILED) throw std::bad_alloc();
  stats->mapped_bytes += bytes;
#ifdef MADV_DONTDUMP
  if (madvise(p, bytes, MADV_DONTDUMP) == 0) stats->dontdump_bytes += bytes;
#endif
#ifdef MADV_WIPEONFORK
  madvise(p, bytes, MADV_WIPEONFORK);
#endif
  // Over RLIMIT_MEMLOCK the pages stay unlocked: still excluded from dumps.
  if (mlock(p, bytes) == 0) stats->locked_bytes += bytes;
  return p;
}

void Unmap(void* p, size_t bytes, SecureMemoryStats* stats) {
  // munlock first so that the counters stay true; the kernel frees the pages either way.
  if (munlock(p, bytes) == 0 && stats->locked_bytes >= bytes) stats->locked_bytes -= bytes;
  if (stats->dontdump_bytes >= bytes) stats->dontdump_bytes -= bytes;
  stats->mapped_bytes -= bytes;
  munmap(p, bytes);
}

size_t RoundToPages(size_t size) {
  const size_t page = PageSize();
  return (size + page - 1) / page * page;
}

}  // namespace

void* SecureAlloc(size_t size) {
  Arena& arena = TheArena();
  std::lock_guard<std::mutex> lock(arena.mutex);
  if (size > kMaxBlock) return MapProtected(RoundToPages(size), &arena.stats);
  const int c = ClassOf(size);
  if (arena.free[c] == nullptr) {
    const size_t block = kMinBlock << c;
    auto* slab = static_cast<char*>(MapProtected(kSlabBytes, &arena.stats));
    for (size_t offset = kSlabBytes; offset >= block; offset -= block) {
      auto* b = reinterpret_cast<FreeBlock*>(slab + offset - block);
      b->next = arena.free[c];
      arena.free[c] = b;
    }
  }
  FreeBlock* b = arena.free[c];
  arena.free[c] = b->next;
  b->next = nullptr;
  return b;
}

void SecureFree(void* p, size_t size) {
  if (p == nullptr) return;
  Arena& arena = TheArena();
  std::lock_guard<std::mutex> lock(arena.mutex);
  if (size > kMaxBlock) {
    Unmap(p, RoundToPages(size), &arena.stats);
    return;
  }
  const int c = ClassOf(size);
  auto* b = static_cast<FreeBlock*>(p);
  b->next = arena.free[c];
  arena.free[c] = b;
}

SecureMemoryStats GetSecureMemoryStats() {
  Arena& arena = TheArena();
  std::lock_guard<std::mutex> lock(arena.mutex);
  return arena.stats;
}

int MakeProcessUndumpable() {
  return prctl(PR_SET_DUMPABLE, 0, 0, 0, 0) == 0 ? 0 : errno;
}

int ProcessDumpable() {
  const int value = prctl(PR_GET_DUMPABLE, 0, 0, 0, 0);
  return value < 0 ? -1 : value;
}

}  // namespace gatehouse
