// Waiting for another thread: spin briefly, then block.
//
// Waking a thread that sleeps on a futex costs tens of microseconds on a busy or
// virtualised machine, more than a whole PAM call on a fast stack. The transaction
// thread therefore spins for a short, bounded time before it sleeps, and only one
// thread spins at a time in the process, so spinning never takes a core away from
// the JS thread or from busier transactions.
#pragma once

#include <atomic>
#include <chrono>
#include <thread>

namespace gatehouse {

class SpinGate {
 public:
  // Spins until ready() or `budget` has passed. Returns ready()'s last answer.
  // Gives up at once if another thread is already spinning.
  template <typename Ready>
  static bool Spin(std::chrono::microseconds budget, Ready ready) {
    if (ready()) return true;
    int expected = 0;
    if (!spinners_.compare_exchange_strong(expected, 1, std::memory_order_acq_rel)) return false;
    const auto until = std::chrono::steady_clock::now() + budget;
    bool result = false;
    for (unsigned i = 0;; ++i) {
      if (ready()) {
        result = true;
        break;
      }
      if ((i & 63) == 0 && std::chrono::steady_clock::now() >= until) break;
#if defined(__x86_64__) || defined(__i386__)
      __builtin_ia32_pause();
#elif defined(__aarch64__)
      asm volatile("yield");
#endif
    }
    spinners_.store(0, std::memory_order_release);
    return result;
  }

 private:
  static inline std::atomic<int> spinners_{0};
};

}  // namespace gatehouse
