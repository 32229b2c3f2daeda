#include "transaction.h"

#include <dlfcn.h>
#include <pthread.h>
#include <security/pam_appl.h>

#include <chrono>
#include <cstdio>
#include <cstring>

#include "bridge.h"
#include "conversation.h"
#include "errors.h"
#include "js_events.h"
#include "thread_priority.h"
#include "worker_pool.h"

namespace gatehouse {

namespace {

using StartConfdirFn = int (*)(const char*, const char*, const struct pam_conv*, const char*,
                               pam_handle_t**);

// pam_start_confdir appeared in Linux-PAM 1.4; look it up at run time so the
// addon still loads against an older libpam (and says so when asked for it).
StartConfdirFn StartConfdir() {
  static const StartConfdirFn fn =
      reinterpret_cast<StartConfdirFn>(dlsym(RTLD_DEFAULT, "pam_start_confdir"));
  return fn;
}

// The calls whose result pam_end's default status should be: the PAM management
// functions, not item or environment calls.
bool IsManagementCall(Job::Kind kind) {
  switch (kind) {
    case Job::Kind::kAuthenticate:
    case Job::Kind::kAcctMgmt:
    case Job::Kind::kChauthtok:
    case Job::Kind::kSetcred:
    case Job::Kind::kOpenSession:
    case Job::Kind::kCloseSession:
      return true;
    default:
      return false;
  }
}

// The calls that may start processes outliving the transaction (see thread_priority.h).
bool IsSessionCall(Job::Kind kind) {
  return kind == Job::Kind::kSetcred || kind == Job::Kind::kOpenSession ||
         kind == Job::Kind::kCloseSession;
}

}  // namespace

bool HaveStartConfdir() { return StartConfdir() != nullptr; }

Transaction::Transaction(std::shared_ptr<Bridge> bridge, int64_t conversation_timeout_ms)
    : bridge_(std::move(bridge)), conversation_timeout_ms_(conversation_timeout_ms) {}

Transaction::~Transaction() {
  // A JS reference may only be deleted on the JS thread. Everywhere else it has
  // already been dropped, except when the environment went away first: then it is
  // left alone on purpose.
  if (owner_ && std::this_thread::get_id() != bridge_->main_thread()) (void)owner_.release();
}

std::shared_ptr<Transaction> Transaction::Create(Napi::Env env, Napi::Object owner,
                                                 uint32_t receivers_id,
                                                 int64_t conversation_timeout_ms) {
  std::shared_ptr<Bridge> bridge = Bridge::Get(env);
  std::shared_ptr<Transaction> tx(new Transaction(bridge, conversation_timeout_ms));
  tx->owner_ = std::make_unique<Napi::ObjectReference>(Napi::Weak(owner));
  tx->receivers_id_ = receivers_id;
  bridge->Track(tx);
  return tx;
}

void Transaction::Submit(Napi::Env env, std::unique_ptr<Job> job) {
  const bool is_end = job->kind == Job::Kind::kEnd;
  if (finished_) ThrowCodeError(env, "ERR_PAM_ENDED", "the PAM transaction has ended");
  if (inflight_ > 0 && !is_end) {
    ThrowCodeError(env, "ERR_PAM_BUSY",
                   "another call is still running on this PAM transaction; await it first");
  }
  if (!started_ && job->kind != Job::Kind::kStart && !is_end) {
    ThrowCodeError(env, "ERR_PAM_NOT_STARTED", "the PAM transaction has not been started");
  }
  if (job->kind == Job::Kind::kStart) {
    if (started_) ThrowCodeError(env, "ERR_PAM_STARTED", "the PAM transaction was already started");
    started_ = true;
  }
  if (is_end) finished_ = true;
  ++inflight_;
  held_.push_back({job->op_id, is_end});
  bridge_->Hold(env);
  {
    std::lock_guard<std::mutex> lk(mu_);
    if (is_end) end_queued_ = true;
    jobs_.push_back(std::move(job));
  }
  if (has_thread_) {
    cv_.notify_one();
  } else {
    // The first job: the thread starts on it as it wakes, one wake-up for both.
    has_thread_ = true;
    bridge_->workers().Assign(shared_from_this());
  }
}

void Transaction::Dispatch(Napi::Env env, Event& event) {
  Bridge::Receivers* receivers = bridge_->receivers(receivers_id_);
  // Empty once the JS object is gone (or the callbacks were forgotten).
  Napi::Object owner = owner_ ? owner_->Value() : Napi::Object();
  if (event.type == Event::Type::kConversation) {
    if (owner.IsEmpty() || receivers == nullptr) {
      FailConversation(event.conversation_id, "nobody is listening to the conversation any more");
      return;
    }
    CallConversation(env, receivers->on_conversation.Value(), owner, event);
    return;
  }
  const JobResult& r = event.result;
  const bool last = r.kind == Job::Kind::kEnd ||
                    (r.kind == Job::Kind::kStart && r.status != PAM_SUCCESS);
  if (last) finished_ = true;
  if (IsManagementCall(r.kind)) last_status_ = r.status;
  if (r.op_id != 0) {
    --inflight_;
    for (auto it = held_.begin(); it != held_.end(); ++it) {
      if (it->op_id == r.op_id) {
        held_.erase(it);
        bridge_->Drop(env);
        break;
      }
    }
  }
  if (last) ForgetOwner();  // nothing more will come; `owner` stays valid in this scope
  if (owner.IsEmpty() || receivers == nullptr || r.op_id == 0) return;
  CallDone(env, receivers->on_done.Value(), owner, r);
}

void Transaction::ForgetOwner() { owner_.reset(); }

std::optional<std::vector<int>> Transaction::PendingStyles(uint64_t id) {
  std::lock_guard<std::mutex> lk(mu_);
  if (!pending_ || pending_->id != id ||
      pending_->state != PendingConversation::State::kWaiting) {
    return std::nullopt;
  }
  return pending_->styles;
}

bool Transaction::Deliver(uint64_t id, std::vector<Answer> answers) {
  {
    std::lock_guard<std::mutex> lk(mu_);
    if (!pending_ || pending_->id != id ||
        pending_->state != PendingConversation::State::kWaiting) {
      return false;  // `answers` are wiped as they go out of scope
    }
    pending_->answers = std::move(answers);
    pending_->state = PendingConversation::State::kAnswered;
  }
  cv_.notify_one();
  return true;
}

void Transaction::FailConversation(uint64_t id, const std::string& reason) {
  {
    std::lock_guard<std::mutex> lk(mu_);
    if (!pending_ || pending_->id != id ||
        pending_->state != PendingConversation::State::kWaiting) {
      return;
    }
    pending_->failure = reason;
    pending_->state = PendingConversation::State::kFailed;
  }
  cv_.notify_one();
}

void Transaction::Abort() {
  {
    std::lock_guard<std::mutex> lk(mu_);
    aborted_ = true;
    if (pending_ && pending_->state == PendingConversation::State::kWaiting) {
      pending_->state = PendingConversation::State::kAborted;
    }
  }
  cv_.notify_one();
}

void Transaction::AbortFromJs(Napi::Env env) {
  Abort();
  for (auto it = held_.begin(); it != held_.end();) {
    if (it->is_end) {
      ++it;
    } else {
      it = held_.erase(it);
      bridge_->Drop(env);
    }
  }
}

void Transaction::QueueEndLocked(int status) {
  if (end_queued_) return;
  end_queued_ = true;
  auto job = std::make_unique<Job>();
  job->kind = Job::Kind::kEnd;
  job->arg = status;
  jobs_.push_back(std::move(job));
}

void Transaction::Detach() {
  ForgetOwner();
  finished_ = true;
  if (!has_thread_) return;  // never started: no handle, no thread
  Abort();
  {
    std::lock_guard<std::mutex> lk(mu_);
    QueueEndLocked(last_status_);
  }
  cv_.notify_one();
}

bool Transaction::Post(std::unique_ptr<Event> event) {
  event->tx = shared_from_this();
  return bridge_->Post(std::move(event));
}

std::unique_ptr<Job> Transaction::NextJob() {
  std::unique_lock<std::mutex> lk(mu_);
  cv_.wait(lk, [this] { return !jobs_.empty(); });
  std::unique_ptr<Job> job = std::move(jobs_.front());
  jobs_.pop_front();
  return job;
}

void Transaction::Serve() {
  for (;;) {
    std::unique_ptr<Job> job = NextJob();
    auto event = std::make_unique<Event>();
    event->type = Event::Type::kDone;
    event->result = Run(*job);
    const bool last = job->kind == Job::Kind::kEnd ||
                      (job->kind == Job::Kind::kStart && pamh_ == nullptr);
    Post(std::move(event));
    if (last) return;
  }
}

int Transaction::Start(const Job& job) {
  conv_.conv = &Transaction::ConversationThunk;
  conv_.appdata_ptr = this;
  const char* user = job.user ? job.user->c_str() : nullptr;
  pam_handle_t* handle = nullptr;
  int status;
  if (job.confdir) {
    status = StartConfdir()(job.service.c_str(), user, &conv_, job.confdir->c_str(), &handle);
  } else {
    status = pam_start(job.service.c_str(), user, &conv_, &handle);
  }
  if (status != PAM_SUCCESS) {
    // Linux-PAM frees the handle itself when pam_start fails.
    return status;
  }
  // Delays requested by modules come to us instead of sleeping this thread.
  status = pam_set_item(handle, PAM_FAIL_DELAY,
                        reinterpret_cast<const void*>(&Transaction::FailDelayThunk));
  if (status != PAM_SUCCESS) {
    pam_end(handle, status);
    return status;
  }
  pamh_ = handle;
  return PAM_SUCCESS;
}

JobResult Transaction::Run(Job& job) {
  JobResult r;
  r.op_id = job.op_id;
  r.kind = job.kind;
  delay_reported_ = false;
  delay_usec_ = 0;
  conversation_error_.clear();
  std::optional<NormalPriorityScope> normal_priority;
  if (IsSessionCall(job.kind)) normal_priority.emplace();
  if (job.kind == Job::Kind::kStart && job.locale) {
    try {
      locale_ = std::make_unique<MessageLocale>(*job.locale);
    } catch (const std::bad_alloc&) {
      // Out of memory: PAM speaks English, as with a locale that is not installed.
    }
  }
  // Every call, pam_strerror included, speaks the transaction's language.
  ThreadLocaleScope speaking(locale_ ? locale_->get() : static_cast<locale_t>(0));
  try {
    switch (job.kind) {
      case Job::Kind::kStart:
        r.status = Start(job);
        break;
      case Job::Kind::kAuthenticate:
        r.status = pam_authenticate(pamh_, job.arg);
        break;
      case Job::Kind::kAcctMgmt:
        r.status = pam_acct_mgmt(pamh_, job.arg);
        break;
      case Job::Kind::kChauthtok:
        r.status = pam_chauthtok(pamh_, job.arg);
        break;
      case Job::Kind::kSetcred:
        r.status = pam_setcred(pamh_, job.arg);
        break;
      case Job::Kind::kOpenSession:
        r.status = pam_open_session(pamh_, job.arg);
        break;
      case Job::Kind::kCloseSession:
        r.status = pam_close_session(pamh_, job.arg);
        break;
      case Job::Kind::kGetItem: {
        const void* value = nullptr;
        r.status = pam_get_item(pamh_, job.arg, &value);
        if (r.status == PAM_SUCCESS && value != nullptr) {
          const char* s = static_cast<const char*>(value);
          r.has_value = true;
          r.value = SecureBuffer(s, std::strlen(s));
        }
        break;
      }
      case Job::Kind::kSetItem:
        r.status = pam_set_item(pamh_, job.arg, job.text.c_str());
        break;
      case Job::Kind::kSetXauthData: {
        struct pam_xauth_data xauth {};
        xauth.name = job.text.data();
        xauth.namelen = static_cast<int>(job.text.size());
        xauth.data = job.bytes.data();
        xauth.datalen = static_cast<int>(job.bytes.size());
        r.status = pam_set_item(pamh_, PAM_XAUTHDATA, &xauth);
        break;
      }
      case Job::Kind::kGetenv: {
        const char* value = pam_getenv(pamh_, job.text.c_str());
        if (value != nullptr) {
          r.has_value = true;
          r.value = SecureBuffer(value, std::strlen(value));
        }
        break;
      }
      case Job::Kind::kPutenv:
        r.status = pam_putenv(pamh_, job.text.c_str());
        break;
      case Job::Kind::kGetenvlist: {
        char** list = pam_getenvlist(pamh_);
        if (list == nullptr) {
          r.status = PAM_BUF_ERR;
          break;
        }
        // The list is ours to free; an entry may hold a secret a module exported.
        for (char** entry = list; *entry != nullptr; ++entry) {
          const size_t len = std::strlen(*entry);
          r.env.emplace_back(*entry, len);
          explicit_bzero(*entry, len);
          std::free(*entry);
        }
        std::free(list);
        break;
      }
      case Job::Kind::kEnd:
        if (pamh_ != nullptr) r.status = pam_end(pamh_, job.arg);
        pamh_ = nullptr;
        break;
    }
  } catch (const std::bad_alloc&) {
    r.status = PAM_BUF_ERR;
  }
  if (r.status != PAM_SUCCESS) {
    // Linux-PAM's pam_strerror does not use the handle; it may already be gone.
    const char* text = pam_strerror(pamh_, r.status);
    r.status_text = text != nullptr ? text : "";
  }
  r.delay_reported = delay_reported_;
  r.delay_usec = delay_usec_;
  r.conversation_error = std::move(conversation_error_);
  conversation_error_.clear();
  return r;
}

void Transaction::FailDelayThunk(int status, unsigned usec, void* appdata) {
  auto* tx = static_cast<Transaction*>(appdata);
  tx->delay_reported_ = true;
  tx->delay_usec_ = usec;
}

int Transaction::ConversationThunk(int num_msg, const struct pam_message** msg,
                                   struct pam_response** resp, void* appdata) {
  auto* tx = static_cast<Transaction*>(appdata);
  try {
    return tx->Converse(num_msg, msg, resp);
  } catch (const std::bad_alloc&) {
    tx->NoteConversationError("out of memory");
    return PAM_BUF_ERR;
  }
}

void Transaction::NoteConversationError(std::string reason) {
  // The first failure of a call is the one worth reporting.
  if (conversation_error_.empty()) conversation_error_ = std::move(reason);
}

int Transaction::Converse(int num_msg, const struct pam_message** msg,
                          struct pam_response** resp) {
  if (resp != nullptr) *resp = nullptr;
  std::string problem;
  auto event = std::make_unique<Event>();
  event->type = Event::Type::kConversation;
  bool wants_answers = false;
  if (!CopyMessages(num_msg, msg, &event->messages, &wants_answers, &problem)) {
    NoteConversationError(problem);
    return PAM_CONV_ERR;
  }
  if (wants_answers && resp == nullptr) {
    NoteConversationError("the module asked for answers but gave no place to put them (resp is NULL)");
    return PAM_CONV_ERR;
  }
  std::vector<int> styles;
  for (const auto& m : event->messages) styles.push_back(m.style);

  uint64_t id;
  {
    std::lock_guard<std::mutex> lk(mu_);
    if (aborted_) {
      NoteConversationError("the transaction was aborted");
      return PAM_CONV_ERR;
    }
    id = ++conversation_seq_;
    pending_.emplace();
    pending_->id = id;
    pending_->styles = styles;
  }
  event->conversation_id = id;
  if (!Post(std::move(event))) {
    std::lock_guard<std::mutex> lk(mu_);
    pending_.reset();
    NoteConversationError("nobody is listening to the conversation any more");
    return PAM_CONV_ERR;
  }

  using State = PendingConversation::State;
  State state;
  std::vector<Answer> answers;
  std::string failure;
  {
    std::unique_lock<std::mutex> lk(mu_);
    auto settled = [this] { return pending_->state != State::kWaiting; };
    if (conversation_timeout_ms_ > 0) {
      if (!cv_.wait_for(lk, std::chrono::milliseconds(conversation_timeout_ms_), settled)) {
        pending_->state = State::kTimedOut;
      }
    } else {
      cv_.wait(lk, settled);
    }
    state = pending_->state;
    answers = std::move(pending_->answers);
    failure = std::move(pending_->failure);
    pending_.reset();
  }
  switch (state) {
    case State::kAnswered:
      break;
    case State::kAborted:
      NoteConversationError("the transaction was aborted");
      return PAM_CONV_ERR;
    case State::kTimedOut:
      NoteConversationError("no answer within " + std::to_string(conversation_timeout_ms_) + " ms");
      return PAM_CONV_ERR;
    case State::kFailed:
    case State::kWaiting:
      NoteConversationError(failure.empty() ? "the conversation failed" : failure);
      return PAM_CONV_ERR;
  }
  if (resp == nullptr) return PAM_SUCCESS;  // messages only; nothing to hand back
  const int status = BuildResponses(&answers, resp);
  if (status != PAM_SUCCESS) NoteConversationError("out of memory while building the answers");
  return status;
}

}  // namespace gatehouse
