// The threads PAM transactions run on.
//
// A transaction owns one thread from its pam_start to its pam_end; no other
// transaction's call ever runs on that thread meanwhile. When the transaction has
// ended, its thread sleeps on its condition variable until the next transaction
// instead of exiting, so a busy greeter does not pay for a new thread per attempt.
// Threads idle for longer than kIdleTimeout exit. Every thread runs at the lower
// scheduling priority of thread_priority.h.
#pragma once

#include <chrono>
#include <condition_variable>
#include <list>
#include <memory>
#include <mutex>
#include <thread>
#include <vector>

namespace gatehouse {

class Transaction;

class WorkerPool {
 public:
  static constexpr auto kIdleTimeout = std::chrono::seconds(10);

  WorkerPool() = default;
  ~WorkerPool();

  // Main thread: runs `tx` on an idle thread, or on a new one. The transaction's
  // first job is already queued, so the thread starts on it as it wakes.
  void Assign(std::shared_ptr<Transaction> tx);
  // Main thread, at teardown: stop taking work, wait up to `wait` for every thread
  // to finish its transaction, join them; detach those stuck inside a module.
  // False if some were left behind (the pool must then never be freed).
  bool Stop(std::chrono::milliseconds wait);

 private:
  struct Worker {
    std::thread thread;
    std::shared_ptr<Transaction> next;  // guarded by mu_
    bool idle = false;                  // guarded by mu_
    bool exited = false;                // guarded by mu_
    std::condition_variable wake;
  };

  void Run(Worker* self, std::shared_ptr<Transaction> first);
  std::shared_ptr<Transaction> WaitForWork(Worker* self);
  void ReapLocked();

  std::mutex mu_;
  std::condition_variable exited_;
  std::list<Worker> workers_;  // stable addresses
  std::vector<Worker*> idle_;  // most recently idle last
  bool stopping_ = false;
};

}  // namespace gatehouse
