// The JS class the typed face (native/index.ts) drives: one per PAM transaction.
// It validates every argument, turns calls into jobs for the transaction thread,
// and turns conversation answers into wiped native buffers.
#pragma once

#include <napi.h>

#include <memory>

#include "transaction.h"

namespace gatehouse {

class PamHandle : public Napi::ObjectWrap<PamHandle> {
 public:
  static Napi::Function Define(Napi::Env env);
  explicit PamHandle(const Napi::CallbackInfo& info);
  ~PamHandle() override;

 private:
  Napi::Value Start(const Napi::CallbackInfo& info);
  Napi::Value Run(const Napi::CallbackInfo& info);
  Napi::Value GetItem(const Napi::CallbackInfo& info);
  Napi::Value SetItem(const Napi::CallbackInfo& info);
  Napi::Value SetXauthData(const Napi::CallbackInfo& info);
  Napi::Value Getenv(const Napi::CallbackInfo& info);
  Napi::Value Putenv(const Napi::CallbackInfo& info);
  Napi::Value Getenvlist(const Napi::CallbackInfo& info);
  Napi::Value End(const Napi::CallbackInfo& info);
  Napi::Value Respond(const Napi::CallbackInfo& info);
  Napi::Value FailConversation(const Napi::CallbackInfo& info);
  Napi::Value Abort(const Napi::CallbackInfo& info);

  std::unique_ptr<Job> NewJob(const Napi::CallbackInfo& info, Job::Kind kind);

  std::shared_ptr<Transaction> tx_;
};

bool HaveStartConfdir();

// { authenticate: 0, acctMgmt: 1, ... }: the operation codes PamHandle.run takes.
Napi::Object OperationCodes(Napi::Env env);

}  // namespace gatehouse
