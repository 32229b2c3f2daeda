// The one channel from PAM threads to the JS thread, per Node/Electron environment.
//
// Transaction threads post events (a finished call, a conversation batch) here;
// they are delivered on the JS thread through a thread-safe function, whose
// uv_async wakes the event loop: the loop sleeps in epoll while PAM works and
// never polls for results. The bridge also keeps the event loop alive exactly
// while some call is running, and at environment teardown aborts and ends every
// open transaction and waits for the threads (bounded, so a module that never
// returns cannot hang the exit).
#pragma once

#include <napi.h>

#include <chrono>
#include <memory>
#include <mutex>
#include <thread>
#include <vector>

#include "transaction.h"

namespace gatehouse {

class WorkerPool;

class Bridge;
void DeliverEvent(Napi::Env env, Napi::Function unused, Bridge* bridge, Event* event);
using EventQueue = Napi::TypedThreadSafeFunction<Bridge, Event, DeliverEvent>;

class Bridge : public std::enable_shared_from_this<Bridge> {
 public:
  // Main thread: the bridge of this environment, created on first use.
  static std::shared_ptr<Bridge> Get(Napi::Env env);
  // Main thread: the bridge of this environment if there is one.
  static std::shared_ptr<Bridge> Find(Napi::Env env);

  // Main thread, when the environment or the process ends: no more events to JS;
  // abort and end every open transaction on its own thread and wait for the threads
  // (bounded, so a module that never returns cannot hang the exit). Idempotent.
  void Shutdown();
  ~Bridge();

  // Any thread. False once the environment is going away (the event is dropped).
  bool Post(std::unique_ptr<Event> event);

  // Main thread: a call started / finished. The event loop stays alive while any runs.
  void Hold(Napi::Env env);
  void Drop(Napi::Env env);

  // Main thread: remembers a transaction so teardown can end it.
  void Track(const std::shared_ptr<Transaction>& tx);

  // Main thread: the functions events are delivered to (see js_events.h), called
  // with the transaction's JS object as `this`. Registered once per loaded copy of
  // native/index.ts; returns the number PamHandle takes to name them.
  uint32_t RegisterReceivers(Napi::Function on_done, Napi::Function on_conversation);
  struct Receivers {
    Napi::FunctionReference on_done;
    Napi::FunctionReference on_conversation;
  };
  // Main thread: the receivers registered as `id`, or nullptr.
  Receivers* receivers(uint32_t id) { return id < receivers_.size() ? receivers_[id].get() : nullptr; }

  WorkerPool& workers() { return *workers_; }
  std::thread::id main_thread() const { return main_thread_; }
  bool closed();

 private:
  Bridge();
  static void OnFinalize(Napi::Env env, std::shared_ptr<Bridge>* keep, Bridge* bridge);

  std::mutex mu_;
  EventQueue queue_;
  bool open_ = false;
  bool shut_down_ = false;  // main thread only

  // Main thread only.
  int holds_ = 0;
  std::vector<std::weak_ptr<Transaction>> tracked_;
  std::vector<std::unique_ptr<Receivers>> receivers_;
  std::unique_ptr<WorkerPool> workers_;
  const std::thread::id main_thread_;
};

}  // namespace gatehouse
