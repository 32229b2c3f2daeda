#include "bridge.h"

#include <algorithm>
#include <cstdio>

#include "worker_pool.h"

namespace gatehouse {

namespace {

// How long teardown waits for threads stuck inside a module before leaving them.
constexpr auto kTeardownWait = std::chrono::milliseconds(2000);

}  // namespace

Bridge::Bridge() : workers_(std::make_unique<WorkerPool>()), main_thread_(std::this_thread::get_id()) {}

Bridge::~Bridge() {
  // The bridge outlives its environment (transactions on other threads hold it):
  // the receivers' references are left to the environment's own teardown.
  for (auto& r : receivers_) {
    r->on_done.SuppressDestruct();
    r->on_conversation.SuppressDestruct();
  }
}

uint32_t Bridge::RegisterReceivers(Napi::Function on_done, Napi::Function on_conversation) {
  auto receivers = std::make_unique<Receivers>();
  receivers->on_done = Napi::Persistent(on_done);
  receivers->on_conversation = Napi::Persistent(on_conversation);
  receivers_.push_back(std::move(receivers));
  return static_cast<uint32_t>(receivers_.size() - 1);
}

std::shared_ptr<Bridge> Bridge::Find(Napi::Env env) {
  auto* slot = env.GetInstanceData<std::shared_ptr<Bridge>>();
  return slot != nullptr ? *slot : nullptr;
}

std::shared_ptr<Bridge> Bridge::Get(Napi::Env env) {
  if (auto existing = Find(env)) return existing;
  std::shared_ptr<Bridge> bridge(new Bridge());
  // The finalizer keeps the bridge alive until teardown has dealt with the threads.
  auto* keep = new std::shared_ptr<Bridge>(bridge);
  bridge->queue_ = EventQueue::New(env, "gatehouse-pam", 0, 1, bridge.get(), &Bridge::OnFinalize, keep);
  bridge->open_ = true;
  // Idle transactions do not keep the process alive; running calls do (Hold/Drop).
  bridge->queue_.Unref(env);
  env.SetInstanceData<std::shared_ptr<Bridge>>(new std::shared_ptr<Bridge>(bridge));
  return bridge;
}

bool Bridge::Post(std::unique_ptr<Event> event) {
  std::lock_guard<std::mutex> lk(mu_);
  if (!open_) return false;
  if (queue_.NonBlockingCall(event.get()) != napi_ok) return false;
  event.release();  // DeliverEvent owns it now
  return true;
}

bool Bridge::closed() {
  std::lock_guard<std::mutex> lk(mu_);
  return !open_;
}

void Bridge::Hold(Napi::Env env) {
  if (holds_++ == 0 && !closed()) queue_.Ref(env);
}

void Bridge::Drop(Napi::Env env) {
  if (--holds_ == 0 && !closed()) queue_.Unref(env);
}

void Bridge::Track(const std::shared_ptr<Transaction>& tx) {
  // Forget transactions that are gone, now and then, so the list stays short.
  if (tracked_.size() >= 64 && (tracked_.size() & (tracked_.size() - 1)) == 0) {
    tracked_.erase(std::remove_if(tracked_.begin(), tracked_.end(),
                                  [](const std::weak_ptr<Transaction>& w) { return w.expired(); }),
                   tracked_.end());
  }
  tracked_.push_back(tx);
}

void Bridge::Shutdown() {
  if (shut_down_) return;
  shut_down_ = true;
  {
    std::lock_guard<std::mutex> lk(mu_);
    open_ = false;
  }
  for (auto& weak : tracked_) {
    if (auto tx = weak.lock()) tx->Detach();
  }
  tracked_.clear();
  if (!workers_->Stop(kTeardownWait)) {
    std::fprintf(stderr,
                 "gatehouse-pam: a PAM module did not return within %lld ms at shutdown; "
                 "its thread is left behind\n",
                 static_cast<long long>(kTeardownWait.count()));
    // A thread left behind still uses the pool; it must outlive it.
    (void)workers_.release();
  }
}

void Bridge::OnFinalize(Napi::Env env, std::shared_ptr<Bridge>* keep, Bridge* bridge) {
  // The environment is being torn down (a worker ending, Electron quitting, Node
  // exiting with an empty event loop).
  bridge->Shutdown();
  delete keep;
}

void DeliverEvent(Napi::Env env, Napi::Function /*unused*/, Bridge* /*bridge*/, Event* raw) {
  std::unique_ptr<Event> event(raw);
  if (env == nullptr) return;  // the environment is going away
  std::shared_ptr<Transaction> tx = event->tx;
  tx->Dispatch(env, *event);
}

}  // namespace gatehouse
