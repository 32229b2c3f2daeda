// The scheduling priority of transaction threads.
//
// A PAM module may fork helpers (pam_exec, unix_chkpwd, pam_mount, ...), and each
// child first inherits the whole Node process: until it execs it takes page-table
// copies, copy-on-write faults and, in pam_exec's case, closes every descriptor up
// to RLIMIT_NOFILE (which Node raises to its hard limit). Many such children at
// once compete with the JS thread for the cores and stall the event loop. So
// every transaction thread runs as SCHED_BATCH (never preempting the JS thread
// when it wakes) at nice kTransactionNice; the
// children its modules fork inherit both (fork copies the calling thread's policy
// and nice value). The JS thread and libuv's pool keep their own priority.
//
// The session calls (setcred, open_session, close_session) may start processes
// that outlive the transaction (a keyring daemon, an agent) and must not keep a
// lowered priority for the whole session: for those calls the thread goes back
// to its normal priority where it may (raising a nice value needs CAP_SYS_NICE or
// RLIMIT_NICE; a greeter running as root has it, a user's lock screen, which
// makes no session calls beyond setcred, runs them lowered).
#pragma once

namespace gatehouse {

// The nice value transaction threads run at (0 is the default, 19 the lowest).
// A trade-off: each step down gives the JS thread a larger share against them
// (about 1.25× per step), but a lowered thread also competes worse with the rest
// of a busy machine, and a password hash (pam_unix, unix_chkpwd) then takes
// longer. At 5 a transaction thread or a child it forks weighs about a third of
// the JS thread; at 10, a tenth, which made authentication crawl on a loaded
// machine.
constexpr int kTransactionNice = 5;

// The calling thread: SCHED_BATCH at nice kTransactionNice. Best effort: a
// failure leaves the thread as it was.
void LowerThreadPriority();

// Runs the calling (transaction) thread at normal priority for its lifetime, then
// lowers it again; does nothing where normal priority cannot be had back.
class NormalPriorityScope {
 public:
  NormalPriorityScope();
  ~NormalPriorityScope();
  NormalPriorityScope(const NormalPriorityScope&) = delete;
  NormalPriorityScope& operator=(const NormalPriorityScope&) = delete;

 private:
  bool raised_ = false;
};

}  // namespace gatehouse
