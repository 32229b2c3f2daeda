// Hands what the transaction thread reports to the receivers native/index.ts
// registered (Bridge::RegisterReceivers), with the transaction's JS object as
// `this` and plain arguments: the common case (a call that succeeded with
// nothing to report) builds no object at all.
#pragma once

#include <napi.h>

#include "transaction.h"

namespace gatehouse {

// onConversation(conversationId, batch): batch is flat, two entries per message:
// its style (the PAM number; styleNames names it) and its text, or for a binary
// prompt (whose text is empty) a Buffer with the whole prompt.
void CallConversation(Napi::Env env, Napi::Function on_conversation, Napi::Object owner,
                      const Event& event);

// onDone(opId, status, value, details):
//   value    getItem / getenv: the string, or undefined for none; getenvlist: the
//            "NAME=value" strings; undefined for every other call;
//   details  undefined, or { statusText?, delayUsec?, conversationError? } when the
//            call failed, a module asked for a fail delay, or a conversation failed.
void CallDone(Napi::Env env, Napi::Function on_done, Napi::Object owner, const JobResult& result);

}  // namespace gatehouse
