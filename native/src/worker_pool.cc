#include "worker_pool.h"

#include <pthread.h>

#include <algorithm>

#include "thread_priority.h"
#include "transaction.h"

namespace gatehouse {

WorkerPool::~WorkerPool() {
  // Only reached after Stop() joined every thread.
}

void WorkerPool::Assign(std::shared_ptr<Transaction> tx) {
  std::unique_lock<std::mutex> lk(mu_);
  ReapLocked();
  if (stopping_) return;  // shutting down: the transaction is never served
  // The most recently idle thread first: its stack and caches are the warmest.
  if (!idle_.empty()) {
    Worker* w = idle_.back();
    idle_.pop_back();
    w->idle = false;
    w->next = std::move(tx);
    lk.unlock();
    w->wake.notify_one();
    return;
  }
  workers_.emplace_back();
  Worker* w = &workers_.back();
  w->thread = std::thread(&WorkerPool::Run, this, w, std::move(tx));
}

void WorkerPool::Run(Worker* self, std::shared_ptr<Transaction> first) {
  pthread_setname_np(pthread_self(), "gatehouse-pam");
  LowerThreadPriority();
  std::shared_ptr<Transaction> tx = std::move(first);
  while (tx) {
    tx->Serve();
    tx.reset();
    tx = WaitForWork(self);
  }
  {
    std::lock_guard<std::mutex> lk(mu_);
    self->exited = true;
  }
  exited_.notify_all();
}

std::shared_ptr<Transaction> WorkerPool::WaitForWork(Worker* self) {
  std::unique_lock<std::mutex> lk(mu_);
  if (stopping_) return nullptr;
  self->idle = true;
  idle_.push_back(self);
  self->wake.wait_for(lk, kIdleTimeout, [this, self] { return self->next != nullptr || stopping_; });
  if (self->next != nullptr) return std::move(self->next);
  // Idle for too long, or stopping: leave the pool.
  self->idle = false;
  idle_.erase(std::remove(idle_.begin(), idle_.end(), self), idle_.end());
  return nullptr;
}

void WorkerPool::ReapLocked() {
  for (auto it = workers_.begin(); it != workers_.end();) {
    if (it->exited) {
      it->thread.join();
      it = workers_.erase(it);
    } else {
      ++it;
    }
  }
}

bool WorkerPool::Stop(std::chrono::milliseconds wait) {
  std::unique_lock<std::mutex> lk(mu_);
  stopping_ = true;
  for (auto& w : workers_) w.wake.notify_all();
  exited_.wait_for(lk, wait, [this] {
    return std::all_of(workers_.begin(), workers_.end(), [](const Worker& w) { return w.exited; });
  });
  bool all_joined = true;
  for (auto& w : workers_) {
    if (w.exited) {
      w.thread.join();
    } else {
      w.thread.detach();  // stuck inside a module; it may never return
      all_joined = false;
    }
  }
  if (all_joined) workers_.clear();
  return all_joined;
}

}  // namespace gatehouse
