// A byte buffer in secure memory (secure_memory.h: locked in RAM, excluded from
// core dumps) that is wiped (explicit_bzero) before its memory is given back.
// Every copy the addon makes of a prompt answer, and of any string that may hold
// one (the PAM environment), lives in one of these.
#pragma once

#include <cstddef>
#include <cstring>
#include <new>
#include <string.h>

#include "secure_memory.h"

namespace gatehouse {

class SecureBuffer {
 public:
  SecureBuffer() = default;
  explicit SecureBuffer(size_t size) : size_(size), capacity_(size) {
    if (size == 0) return;
    data_ = static_cast<char*>(SecureAlloc(size));
  }
  SecureBuffer(const char* bytes, size_t size) : SecureBuffer(size) {
    if (size != 0) std::memcpy(data_, bytes, size);
  }
  ~SecureBuffer() { Wipe(); }

  SecureBuffer(SecureBuffer&& other) noexcept
      : data_(other.data_), size_(other.size_), capacity_(other.capacity_) {
    other.data_ = nullptr;
    other.size_ = 0;
    other.capacity_ = 0;
  }
  SecureBuffer& operator=(SecureBuffer&& other) noexcept {
    if (this != &other) {
      Wipe();
      data_ = other.data_;
      size_ = other.size_;
      capacity_ = other.capacity_;
      other.data_ = nullptr;
      other.size_ = 0;
      other.capacity_ = 0;
    }
    return *this;
  }
  SecureBuffer(const SecureBuffer&) = delete;
  SecureBuffer& operator=(const SecureBuffer&) = delete;

  char* data() { return data_; }
  const char* data() const { return data_; }
  size_t size() const { return size_; }
  // Shrinks the logical size (the tail is wiped); never grows.
  void Truncate(size_t size) {
    if (size >= size_) return;
    explicit_bzero(data_ + size, size_ - size);
    size_ = size;
  }

  void Wipe() {
    if (data_ != nullptr) {
      explicit_bzero(data_, capacity_);
      SecureFree(data_, capacity_);
    }
    data_ = nullptr;
    size_ = 0;
    capacity_ = 0;
  }

 private:
  char* data_ = nullptr;
  size_t size_ = 0;
  size_t capacity_ = 0;  // what was allocated (Truncate shrinks size_ only)
};

}  // namespace gatehouse
