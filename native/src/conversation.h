// The parts of the conversation that touch the module's memory: copying a batch
// of pam_message out, and building the pam_response array it gets back.
#pragma once

#include <security/pam_appl.h>

#include <string>
#include <vector>

#include "transaction.h"

namespace gatehouse {

// Copies a batch; false (with `problem` set) for anything the conversation must
// refuse: a bad count, a NULL message, an unknown style, a malformed binary prompt.
bool CopyMessages(int num_msg, const struct pam_message** msg, std::vector<MessageCopy>* out,
                  bool* wants_answers, std::string* problem);

// Builds the pam_response array, exactly answers->size() long, in memory the module
// frees. On failure nothing is left allocated and *resp stays NULL. The answers are
// wiped either way.
int BuildResponses(std::vector<Answer>* answers, struct pam_response** resp);

// 'echo-off', 'echo-on', 'error', 'info', 'radio', 'binary'; nullptr for anything else.
const char* StyleName(int style);
bool StyleWantsAnswer(int style);

}  // namespace gatehouse
