// One PAM transaction: its pam_handle_t and the jobs JS submits for it.
//
// Every pam_* call for the handle (pam_start and pam_end included) runs on the
// thread the transaction owns (see worker_pool.h), one job after another. The
// thread is taken from the pool with the first job, so it wakes once with work
// already queued. Between jobs it sleeps on the transaction's condition variable
// (no spinning: a spinning thread takes a core from the JS thread and turns
// every munmap of libpam's dlclose into a cross-CPU TLB shootdown). Results and
// conversation batches go to JS through the environment's Bridge. When a module
// calls the conversation function, the thread copies the batch, posts it and
// sleeps (that thread only) until JS answers, the transaction is aborted, or the
// conversation timeout passes.
#pragma once

#include <security/pam_appl.h>

#include <napi.h>

#include <condition_variable>
#include <cstdint>
#include <deque>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "message_locale.h"
#include "secure_buffer.h"

namespace gatehouse {

class Bridge;

// One message of a conversation batch, copied out of the module's memory.
struct MessageCopy {
  int style = 0;
  std::string text;           // the bytes the module sent (not necessarily UTF-8)
  std::vector<uint8_t> data;  // PAM_BINARY_PROMPT only: the whole binary prompt
};

// One answer, held until it is copied into the module's pam_response (then wiped).
struct Answer {
  enum class Kind { kNone, kText, kBinary };
  Kind kind = Kind::kNone;
  SecureBuffer bytes;
};

// Something JS asked the transaction thread to do.
struct Job {
  enum class Kind {
    kStart,
    kAuthenticate,
    kAcctMgmt,
    kChauthtok,
    kSetcred,
    kOpenSession,
    kCloseSession,
    kGetItem,
    kSetItem,
    kSetXauthData,
    kGetenv,
    kPutenv,
    kGetenvlist,
    kEnd,
  };
  Kind kind = Kind::kEnd;
  uint32_t op_id = 0;  // 0: nobody waits for the result
  int arg = 0;         // PAM flags, the item type, or the pam_end status
  std::string service;
  std::optional<std::string> user;
  std::optional<std::string> confdir;
  std::optional<std::string> locale;  // kStart: the language PAM speaks (message_locale.h)
  std::string text;    // item value, env name, "NAME=value", xauth name
  SecureBuffer bytes;  // xauth data
};

// What a finished job reports back to JS.
struct JobResult {
  uint32_t op_id = 0;
  Job::Kind kind = Job::Kind::kEnd;
  int status = PAM_SUCCESS;
  std::string status_text;         // pam_strerror(status), taken on the transaction thread
  bool delay_reported = false;     // the PAM_FAIL_DELAY callback ran during this job
  unsigned delay_usec = 0;
  std::string conversation_error;  // why a conversation in this job failed on our side
  bool has_value = false;          // kGetItem / kGetenv: false = no value
  SecureBuffer value;
  std::vector<SecureBuffer> env;   // kGetenvlist: "NAME=value" entries
};

struct Event {
  enum class Type { kDone, kConversation };
  Type type = Type::kDone;
  std::shared_ptr<class Transaction> tx;
  JobResult result;                   // kDone
  uint64_t conversation_id = 0;       // kConversation
  std::vector<MessageCopy> messages;  // kConversation
};

class Transaction : public std::enable_shared_from_this<Transaction> {
 public:
  // Limits on what crosses the boundary.
  static constexpr size_t kMaxMessageBytes = 64 * 1024;
  static constexpr size_t kMaxBinaryPromptBytes = 64 * 1024;

  // Main thread: a new transaction whose events go to the bridge's receivers
  // `receivers_id` (see js_events.h) with `owner` as `this`. The transaction holds
  // `owner` weakly: an abandoned one is collected, and then ended natively. Its
  // thread is taken from the pool with its first job.
  static std::shared_ptr<Transaction> Create(Napi::Env env, Napi::Object owner,
                                             uint32_t receivers_id,
                                             int64_t conversation_timeout_ms);
  ~Transaction();

  // Main thread. Throws a Napi::Error (code ERR_PAM_*) when the call is not allowed now.
  void Submit(Napi::Env env, std::unique_ptr<Job> job);
  // Main thread. The styles of conversation `id` if it is still waiting for answers.
  std::optional<std::vector<int>> PendingStyles(uint64_t id);
  // Main thread. Hands validated answers to the waiting module; false if `id` no longer waits.
  bool Deliver(uint64_t id, std::vector<Answer> answers);
  // Main thread. The waiting module gets PAM_CONV_ERR; `reason` is reported with the call.
  void FailConversation(uint64_t id, const std::string& reason);
  // Any thread. Fails the pending conversation and every later one with PAM_CONV_ERR.
  void Abort();
  // Main thread. Abort() for JS: the aborted call (whose promise has already been
  // rejected) no longer keeps the event loop alive, even if its module never returns.
  void AbortFromJs(Napi::Env env);
  // Main thread. The JS object is gone, or the environment is: stop reporting to JS,
  // abort, and end the handle on its own thread.
  void Detach();
  // Main thread, from the bridge: hands an event to JS.
  void Dispatch(Napi::Env env, Event& event);

  // The transaction's thread: runs jobs until pam_end (or a failed pam_start).
  void Serve();

 private:
  Transaction(std::shared_ptr<Bridge> bridge, int64_t conversation_timeout_ms);

  // Transaction thread.
  std::unique_ptr<Job> NextJob();
  JobResult Run(Job& job);
  int Start(const Job& job);
  int Converse(int num_msg, const struct pam_message** msg, struct pam_response** resp);
  void NoteConversationError(std::string reason);
  bool Post(std::unique_ptr<Event> event);
  static int ConversationThunk(int num_msg, const struct pam_message** msg,
                               struct pam_response** resp, void* appdata);
  static void FailDelayThunk(int status, unsigned usec, void* appdata);

  void QueueEndLocked(int status);
  void ForgetOwner();

  const std::shared_ptr<Bridge> bridge_;
  const int64_t conversation_timeout_ms_;

  // Owned by the transaction thread.
  pam_handle_t* pamh_ = nullptr;
  std::unique_ptr<MessageLocale> locale_;  // installed on the thread for every call
  struct pam_conv conv_ {};
  bool delay_reported_ = false;
  unsigned delay_usec_ = 0;
  std::string conversation_error_;

  // Guarded by mu_.
  struct PendingConversation {
    enum class State { kWaiting, kAnswered, kFailed, kAborted, kTimedOut };
    uint64_t id = 0;
    std::vector<int> styles;
    State state = State::kWaiting;
    std::vector<Answer> answers;
    std::string failure;
  };
  std::mutex mu_;
  std::condition_variable cv_;
  std::deque<std::unique_ptr<Job>> jobs_;
  bool end_queued_ = false;
  bool aborted_ = false;
  uint64_t conversation_seq_ = 0;
  std::optional<PendingConversation> pending_;

  // Main thread only.
  std::unique_ptr<Napi::ObjectReference> owner_;  // weak
  uint32_t receivers_id_ = 0;
  bool has_thread_ = false;  // the first job took a thread from the pool
  int inflight_ = 0;
  struct HeldCall {
    uint32_t op_id;
    bool is_end;
  };
  std::vector<HeldCall> held_;  // calls that keep the event loop alive
  bool started_ = false;
  bool finished_ = false;  // ended, failed to start, or torn down: nothing more may be submitted
  int last_status_ = PAM_SUCCESS;
};

}  // namespace gatehouse
