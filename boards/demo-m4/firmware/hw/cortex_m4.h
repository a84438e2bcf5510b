// Cortex-M4 core registers (System Control Space at 0xE000E000) and CPU intrinsics.
// Follows the ARMv7-M Architecture Reference Manual (DDI 0403E), sections B3.2 (SCB),
// B3.3 (SysTick) and B3.4 (NVIC). Written for hilsim instead of CMSIS: only what the
// demo-m4 firmware and the test programs use. Leaves out the MPU, FPU, DWT/ITM and debug.
#pragma once
#include <cstddef>
#include <cstdint>

namespace cm4 {

// ============================================================ [NVIC] 0xE000E100
struct Nvic {
  volatile uint32_t ISER[8];  // 0x000 set-enable (write 1s)
  uint32_t reserved0[24];
  volatile uint32_t ICER[8];  // 0x080 clear-enable
  uint32_t reserved1[24];
  volatile uint32_t ISPR[8];  // 0x100 set-pending (software pend)
  uint32_t reserved2[24];
  volatile uint32_t ICPR[8];  // 0x180 clear-pending
  uint32_t reserved3[24];
  volatile uint32_t IABR[8];  // 0x200 active bits (read-only)
  uint32_t reserved4[56];
  volatile uint8_t IPR[240];  // 0x300 one priority byte per IRQ, byte-accessible
};
static_assert(offsetof(Nvic, ICER) == 0x080);
static_assert(offsetof(Nvic, ISPR) == 0x100);
static_assert(offsetof(Nvic, ICPR) == 0x180);
static_assert(offsetof(Nvic, IABR) == 0x200);
static_assert(offsetof(Nvic, IPR) == 0x300);

// ============================================================ [SysTick] 0xE000E010
struct SysTick {
  volatile uint32_t CTRL;   // 0x0 bit0 ENABLE, bit1 TICKINT, bit2 CLKSOURCE (1 = core clock), bit16 COUNTFLAG (RC)
  volatile uint32_t LOAD;   // 0x4 RELOAD, 24 bits
  volatile uint32_t VAL;    // 0x8 current value; any write clears it and COUNTFLAG
  volatile uint32_t CALIB;  // 0xC read-only
};
constexpr uint32_t SYST_CTRL_ENABLE = 1u << 0;
constexpr uint32_t SYST_CTRL_TICKINT = 1u << 1;
constexpr uint32_t SYST_CTRL_CLKSOURCE = 1u << 2;
constexpr uint32_t SYST_CTRL_COUNTFLAG = 1u << 16;

// ============================================================ [SCB] 0xE000ED00
struct Scb {
  volatile uint32_t CPUID;   // 0x00
  volatile uint32_t ICSR;    // 0x04
  volatile uint32_t VTOR;    // 0x08
  volatile uint32_t AIRCR;   // 0x0C
  volatile uint32_t SCR;     // 0x10
  volatile uint32_t CCR;     // 0x14
  volatile uint8_t SHPR[12]; // 0x18 priority of system handler N is SHPR[N - 4]
  volatile uint32_t SHCSR;   // 0x24
  volatile uint32_t CFSR;    // 0x28
  volatile uint32_t HFSR;    // 0x2C
  volatile uint32_t DFSR;    // 0x30
  volatile uint32_t MMFAR;   // 0x34
  volatile uint32_t BFAR;    // 0x38
};
static_assert(offsetof(Scb, SHPR) == 0x18);
static_assert(offsetof(Scb, SHCSR) == 0x24);
static_assert(offsetof(Scb, BFAR) == 0x38);

constexpr uint32_t ICSR_PENDSVSET = 1u << 28;
constexpr uint32_t ICSR_PENDSVCLR = 1u << 27;
constexpr uint32_t ICSR_PENDSTSET = 1u << 26;
constexpr uint32_t ICSR_PENDSTCLR = 1u << 25;
constexpr uint32_t ICSR_RETTOBASE = 1u << 11;
constexpr uint32_t ICSR_VECTACTIVE_MASK = 0x1FFu;

constexpr uint32_t AIRCR_VECTKEY = 0x05FAu << 16;  // must accompany every AIRCR write
constexpr uint32_t AIRCR_PRIGROUP_SHIFT = 8;
constexpr uint32_t AIRCR_PRIGROUP_MASK = 7u << AIRCR_PRIGROUP_SHIFT;
constexpr uint32_t AIRCR_SYSRESETREQ = 1u << 2;

// Exception numbers (IPSR values). IRQ n is exception 16 + n.
enum Exception : uint32_t {
  kReset = 1, kNmi = 2, kHardFault = 3, kMemManage = 4, kBusFault = 5, kUsageFault = 6,
  kSvCall = 11, kDebugMon = 12, kPendSv = 14, kSysTick = 15, kIrq0 = 16,
};
constexpr uint32_t kNumIrqs = 32;  // IRQ inputs wired in the vector tables of hilsim firmware

// EXC_RETURN values on a core without FP context (soft-float firmware).
constexpr uint32_t EXC_RETURN_HANDLER = 0xFFFFFFF1u;
constexpr uint32_t EXC_RETURN_THREAD_MSP = 0xFFFFFFF9u;
constexpr uint32_t EXC_RETURN_THREAD_PSP = 0xFFFFFFFDu;

// The 8-word frame pushed on exception entry.
struct ExceptionFrame {
  uint32_t r0, r1, r2, r3, r12, lr, pc, xpsr;
};

inline Nvic& nvic() { return *reinterpret_cast<Nvic*>(0xE000E100u); }
inline SysTick& systick() { return *reinterpret_cast<SysTick*>(0xE000E010u); }
inline Scb& scb() { return *reinterpret_cast<Scb*>(0xE000ED00u); }

// ============================================================ [NVIC helpers]
inline void irq_enable(uint32_t irq) { nvic().ISER[irq >> 5] = 1u << (irq & 31); }
inline void irq_disable(uint32_t irq) { nvic().ICER[irq >> 5] = 1u << (irq & 31); }
inline void irq_pend(uint32_t irq) { nvic().ISPR[irq >> 5] = 1u << (irq & 31); }
inline void irq_unpend(uint32_t irq) { nvic().ICPR[irq >> 5] = 1u << (irq & 31); }
inline void irq_set_priority(uint32_t irq, uint8_t prio) { nvic().IPR[irq] = prio; }
// exc is a system exception number 4..15.
inline void exc_set_priority(uint32_t exc, uint8_t prio) { scb().SHPR[exc - 4] = prio; }

// ============================================================ [CPU intrinsics]
inline void irq_off() { asm volatile("cpsid i" ::: "memory"); }
inline void irq_on() { asm volatile("cpsie i" ::: "memory"); }
inline void wfi() { asm volatile("wfi" ::: "memory"); }
inline void dsb() { asm volatile("dsb" ::: "memory"); }
inline void isb() { asm volatile("isb" ::: "memory"); }
inline void nop() { asm volatile("nop"); }

inline uint32_t get_primask() { uint32_t v; asm volatile("mrs %0, primask" : "=r"(v)); return v; }
inline void set_primask(uint32_t v) { asm volatile("msr primask, %0" ::"r"(v) : "memory"); }
inline uint32_t get_basepri() { uint32_t v; asm volatile("mrs %0, basepri" : "=r"(v)); return v; }
inline void set_basepri(uint32_t v) { asm volatile("msr basepri, %0" ::"r"(v) : "memory"); }
inline uint32_t get_control() { uint32_t v; asm volatile("mrs %0, control" : "=r"(v)); return v; }
inline void set_control(uint32_t v) { asm volatile("msr control, %0\n isb" ::"r"(v) : "memory"); }
inline uint32_t get_ipsr() { uint32_t v; asm volatile("mrs %0, ipsr" : "=r"(v)); return v; }
inline uint32_t get_psp() { uint32_t v; asm volatile("mrs %0, psp" : "=r"(v)); return v; }
inline void set_psp(uint32_t v) { asm volatile("msr psp, %0" ::"r"(v) : "memory"); }
inline uint32_t get_msp() { uint32_t v; asm volatile("mrs %0, msp" : "=r"(v)); return v; }

// Saves PRIMASK, masks interrupts, restores on scope exit (nests correctly).
class IrqLock {
 public:
  IrqLock() : saved_(get_primask()) { irq_off(); }
  ~IrqLock() { set_primask(saved_); }
  IrqLock(const IrqLock&) = delete;
  IrqLock& operator=(const IrqLock&) = delete;

 private:
  uint32_t saved_;
};

// Requests a system reset through AIRCR.SYSRESETREQ, keeping PRIGROUP. Does not return.
[[noreturn]] inline void system_reset() {
  dsb();
  scb().AIRCR = AIRCR_VECTKEY | (scb().AIRCR & AIRCR_PRIGROUP_MASK) | AIRCR_SYSRESETREQ;
  dsb();
  for (;;) wfi();
}

}  // namespace cm4
