// crypto_probe: the device-side crypto (crypto/) on the Cortex-M4, built -Os like the firmware.
// Verifies RFC 8032 TEST 1 and rejects it with one bit flipped, hashes 64 KiB of a fixed
// pattern ((i * 7 + (i >> 8)) & 0xff) with SHA-256 and compares with the digest computed on the
// host. Prints verify_ok, verify_rejects_flip, sha_ok, sha256 (hex), the cycles each step took
// (SysTick on the core clock; under hilsim one instruction is one cycle, so these are
// instruction counts; "overflow" past 2^24) and verify_stack (bytes, from a painted stack).
#include "crypto/ed25519_verify.h"
#include "crypto/sha256.h"
#include "test.h"

namespace {

constexpr uint8_t kPub[32] = {
    0xd7, 0x5a, 0x98, 0x01, 0x82, 0xb1, 0x0a, 0xb7, 0xd5, 0x4b, 0xfe, 0xd3, 0xc9, 0x64, 0x07, 0x3a,
    0x0e, 0xe1, 0x72, 0xf3, 0xda, 0xa6, 0x23, 0x25, 0xaf, 0x02, 0x1a, 0x68, 0xf7, 0x07, 0x51, 0x1a,
};
constexpr uint8_t kSig[64] = {
    0xe5, 0x56, 0x43, 0x00, 0xc3, 0x60, 0xac, 0x72, 0x90, 0x86, 0xe2, 0xcc, 0x80, 0x6e, 0x82, 0x8a,
    0x84, 0x87, 0x7f, 0x1e, 0xb8, 0xe5, 0xd9, 0x74, 0xd8, 0x73, 0xe0, 0x65, 0x22, 0x49, 0x01, 0x55,
    0x5f, 0xb8, 0x82, 0x15, 0x90, 0xa3, 0x3b, 0xac, 0xc6, 0x1e, 0x39, 0x70, 0x1c, 0xf9, 0xb4, 0x6b,
    0xd2, 0x5b, 0xf5, 0xf0, 0x59, 0x5b, 0xbe, 0x24, 0x65, 0x51, 0x41, 0x43, 0x8e, 0x7a, 0x10, 0x0b,
};
// SHA-256 of the 64 KiB pattern (computed on the host).
constexpr uint8_t kPatternDigest[32] = {
    0x5f, 0xce, 0x37, 0xf3, 0x12, 0x91, 0x50, 0xce, 0x7e, 0xc3, 0x93, 0x9b, 0x54, 0x01, 0x6d, 0x9c,
    0x1f, 0xd0, 0x13, 0x64, 0xe2, 0x7b, 0x0a, 0x78, 0x8d, 0xc6, 0x34, 0x06, 0x4a, 0xec, 0x76, 0xb1,
};

constexpr uint32_t kBufSize = 64 * 1024;
uint8_t g_buf[kBufSize];

constexpr uint32_t kPaint = 0xA5C3A5C3u;
constexpr uint32_t kPaintGap = 128;    // stays clear of paint()'s own frame
constexpr uint32_t kPaintDepth = 3968; // bytes below the caller's SP that are checked

// ---- SysTick as a 24-bit cycle counter -------------------------------------------------
void cycles_start() {
  auto& st = cm4::systick();
  st.CTRL = 0;
  st.LOAD = 0xFFFFFFu;
  st.VAL = 0;  // clears the counter and COUNTFLAG; it reloads on the next cycle
  st.CTRL = cm4::SYST_CTRL_ENABLE | cm4::SYST_CTRL_CLKSOURCE;
}

void cycles_report(const char* key) {
  auto& st = cm4::systick();
  const uint32_t val = st.VAL;
  const bool wrapped = (st.CTRL & cm4::SYST_CTRL_COUNTFLAG) != 0;
  st.CTRL = 0;
  if (wrapped) {
    t::kv_str(key, "overflow");
  } else {
    t::kv(key, 0xFFFFFFu - val);
  }
}

// ---- stack painting ----------------------------------------------------------------------
__attribute__((always_inline)) inline uint32_t current_sp() {
  uint32_t sp;
  asm volatile("mov %0, sp" : "=r"(sp));
  return sp;
}

__attribute__((noinline)) void paint(uint32_t sp) {
  for (uint32_t a = sp - kPaintDepth; a < sp - kPaintGap; a += 4) *reinterpret_cast<volatile uint32_t*>(a) = kPaint;
}

uint32_t stack_used(uint32_t sp) {
  uint32_t a = sp - kPaintDepth;
  while (a < sp && *reinterpret_cast<volatile uint32_t*>(a) == kPaint) a += 4;
  return sp - a;
}

bool equal(const uint8_t* a, const uint8_t* b, uint32_t n) {
  uint8_t diff = 0;
  for (uint32_t i = 0; i < n; ++i) diff |= a[i] ^ b[i];
  return diff == 0;
}

}  // namespace

int main() {
  t::init();
  using hilsim::crypto::ed25519_verify;

  const uint32_t sp = current_sp();
  paint(sp);
  cycles_start();
  const bool ok = ed25519_verify(kSig, nullptr, 0, kPub);
  cycles_report("verify_cycles");
  const uint32_t used = stack_used(sp);
  t::kv("verify_ok", ok ? 1 : 0);
  t::kv("verify_stack", used);
  t::check(ok, "RFC 8032 TEST 1 verifies");
  t::check(used < kPaintDepth - 64, "verify stack stays inside the painted area");

  uint8_t bad[64];
  for (int i = 0; i < 64; ++i) bad[i] = kSig[i];
  bad[40] ^= 0x10;
  const bool rejected = !ed25519_verify(bad, nullptr, 0, kPub);
  t::kv("verify_rejects_flip", rejected ? 1 : 0);
  t::check(rejected, "a flipped signature bit is rejected");

  for (uint32_t i = 0; i < kBufSize; ++i) g_buf[i] = static_cast<uint8_t>(i * 7u + (i >> 8));
  uint8_t digest[32];
  cycles_start();
  hilsim::crypto::sha256(g_buf, kBufSize, digest);
  cycles_report("sha256_64k_cycles");
  t::str("sha256=");
  for (uint8_t b : digest) {
    t::put("0123456789abcdef"[b >> 4]);
    t::put("0123456789abcdef"[b & 15]);
  }
  t::put('\n');
  const bool sha_ok = equal(digest, kPatternDigest, 32);
  t::kv("sha_ok", sha_ok ? 1 : 0);
  t::check(sha_ok, "SHA-256 of the 64 KiB pattern");
  t::finish();
}
