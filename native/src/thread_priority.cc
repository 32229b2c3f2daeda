#include "thread_priority.h"

#include <sched.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <cerrno>

namespace gatehouse {

namespace {

// setpriority(PRIO_PROCESS, tid) sets one thread's nice value on Linux (the
// POSIX "process" is a thread here), and sched_setscheduler(0, ...) the calling
// thread's policy.
pid_t ThisThread() { return static_cast<pid_t>(syscall(SYS_gettid)); }

bool SetPolicy(int policy) {
  struct sched_param param {};
  param.sched_priority = 0;
  return sched_setscheduler(0, policy, &param) == 0;
}

bool SetNice(int nice) { return setpriority(PRIO_PROCESS, static_cast<id_t>(ThisThread()), nice) == 0; }

// The nice value of the JS thread, what "normal" means for this process (which
// may itself run niced). Read by the first transaction thread before it lowers
// itself: a new thread starts with the nice value of the thread that created it,
// and the pool creates its threads from the JS thread.
int NormalNice() {
  static const int nice = [] {
    errno = 0;
    const int value = getpriority(PRIO_PROCESS, 0);
    return errno == 0 ? value : 0;
  }();
  return nice;
}

}  // namespace

void LowerThreadPriority() {
  const int normal = NormalNice();
  SetPolicy(SCHED_BATCH);
  SetNice(normal > kTransactionNice ? normal : kTransactionNice);
}

NormalPriorityScope::NormalPriorityScope() {
  // Raising the nice value first: if that is not allowed, stay lowered entirely.
  if (!SetNice(NormalNice())) return;
  SetPolicy(SCHED_OTHER);
  raised_ = true;
}

NormalPriorityScope::~NormalPriorityScope() {
  if (raised_) LowerThreadPriority();
}

}  // namespace gatehouse
