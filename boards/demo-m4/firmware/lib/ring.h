// Fixed-size byte ring buffer for one producer and one consumer on a single core, where one of
// the two may be an interrupt handler. Indices only grow (wrapping at 2^32); size = head - tail.
// Invariant: the producer writes only head_ and buf_[head_ % N]; the consumer writes only tail_.
#pragma once
#include <cstdint>

namespace lib {

template <uint32_t N>
class Ring {
  static_assert(N != 0 && (N & (N - 1)) == 0, "N must be a power of two");

 public:
  bool empty() const { return head_ == tail_; }
  bool full() const { return head_ - tail_ == N; }
  uint32_t size() const { return head_ - tail_; }

  bool push(uint8_t b) {
    if (full()) return false;
    buf_[head_ % N] = b;
    asm volatile("" ::: "memory");  // the byte is stored before the consumer can see it
    head_ = head_ + 1;
    return true;
  }

  bool pop(uint8_t& b) {
    if (empty()) return false;
    b = buf_[tail_ % N];
    asm volatile("" ::: "memory");
    tail_ = tail_ + 1;
    return true;
  }

 private:
  uint8_t buf_[N] = {};
  volatile uint32_t head_ = 0;
  volatile uint32_t tail_ = 0;
};

}  // namespace lib
