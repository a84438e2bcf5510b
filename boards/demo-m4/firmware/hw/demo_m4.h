// demo-m4 board: peripheral register maps, base addresses, IRQ lines and pins.
// Follows docs/peripherals.md and boards/demo-m4/board.yaml exactly; keep the three in step.
// Shared by the reference firmware and by tests/firmware (same memory map).
#pragma once
#include <cstddef>
#include <cstdint>

namespace demo_m4 {

constexpr uint32_t kFlashBase = 0x00000000u;
constexpr uint32_t kRamBase = 0x20000000u;
constexpr uint32_t kRamSize = 128u * 1024u;
constexpr uint32_t kDefaultClockHz = 64000000u;  // board.yaml clock-hz; sysctl CLOCKHZ is authoritative
constexpr uint32_t kWdtClockHz = 32768u;          // board.yaml wdt clock-hz

// ============================================================ [uart] 0x40001000, IRQ 0
struct Uart {
  volatile uint32_t DATA;     // 0x00 RW write: push TX byte; read: pop RX byte
  volatile uint32_t STATUS;   // 0x04 R/W1C
  volatile uint32_t CTRL;     // 0x08 RW
  volatile uint32_t BAUDDIV;  // 0x0C RW core cycles per bit
  volatile uint32_t RXCOUNT;  // 0x10 R
};
static_assert(offsetof(Uart, RXCOUNT) == 0x10);
constexpr uint32_t UART_STATUS_TXRDY = 1u << 0;
constexpr uint32_t UART_STATUS_RXAV = 1u << 1;
constexpr uint32_t UART_STATUS_TXIDLE = 1u << 2;
constexpr uint32_t UART_STATUS_RXOVR = 1u << 3;
constexpr uint32_t UART_STATUS_TXOVR = 1u << 4;
constexpr uint32_t UART_CTRL_TXEN = 1u << 0;
constexpr uint32_t UART_CTRL_RXEN = 1u << 1;
constexpr uint32_t UART_CTRL_TXIE = 1u << 2;
constexpr uint32_t UART_CTRL_RXIE = 1u << 3;
constexpr uint32_t UART_CTRL_IDLEIE = 1u << 4;

// ============================================================ [gpio] 0x40002000, IRQ 1
struct Gpio {
  volatile uint32_t IN;       // 0x00 R
  volatile uint32_t OUT;      // 0x04 RW
  volatile uint32_t DIR;      // 0x08 RW 1 = output
  volatile uint32_t OUTSET;   // 0x0C W
  volatile uint32_t OUTCLR;   // 0x10 W
  volatile uint32_t OUTTGL;   // 0x14 W
  volatile uint32_t RISEIE;   // 0x18 RW
  volatile uint32_t FALLIE;   // 0x1C RW
  volatile uint32_t IRQSTAT;  // 0x20 W1C
  volatile uint32_t PULLUP;   // 0x24 RW
};
static_assert(offsetof(Gpio, PULLUP) == 0x24);

// ============================================================ [watchdog] 0x40003000, IRQ 2
struct Wdt {
  volatile uint32_t LOAD;    // 0x00 RW reload in watchdog clock ticks
  volatile uint32_t CTRL;    // 0x04 RW bit0 EN, bit1 EWIE
  volatile uint32_t FEED;    // 0x08 W  kWdtFeedKey reloads; anything else resets at once
  volatile uint32_t VALUE;   // 0x0C R
  volatile uint32_t STATUS;  // 0x10 W1C bit0 EWF
};
static_assert(offsetof(Wdt, STATUS) == 0x10);
constexpr uint32_t WDT_CTRL_EN = 1u << 0;
constexpr uint32_t WDT_CTRL_EWIE = 1u << 1;
constexpr uint32_t kWdtFeedKey = 0x0000FEEDu;

// ============================================================ [reset-controller] 0x40004000
struct Sysctl {
  volatile uint32_t RSTCAUSE;  // 0x00 W1C sticky cause bits
  volatile uint32_t BOOTCNT;   // 0x04 R resets since power-on
  volatile uint32_t CLOCKHZ;   // 0x08 R
  volatile uint32_t SWRESET;   // 0x0C W kSwResetKey requests a reset
  volatile uint32_t SCRATCH;   // 0x10 RW survives resets, not power loss
};
static_assert(offsetof(Sysctl, SCRATCH) == 0x10);
constexpr uint32_t RSTCAUSE_POWERON = 1u << 0;
constexpr uint32_t RSTCAUSE_WATCHDOG = 1u << 1;
constexpr uint32_t RSTCAUSE_SOFTWARE = 1u << 2;
constexpr uint32_t RSTCAUSE_EXTERNAL = 1u << 3;
constexpr uint32_t RSTCAUSE_LOCKUP = 1u << 4;
constexpr uint32_t kSwResetKey = 0x5AFE0001u;

// ============================================================ [rng] 0x40005000
struct Rng {
  volatile uint32_t DATA;    // 0x00 R next value
  volatile uint32_t STATUS;  // 0x04 R bit0 READY
};


// ============================================================ [flash-controller] 0x40006000, IRQ 3
struct FlashCtl {
  volatile uint32_t KEY;      // 0x00 W  kFlashKey1 then kFlashKey2 unlocks
  volatile uint32_t CTRL;     // 0x04 RW bit0 LOCK, bit1 DONEIE, bit2 ERRIE
  volatile uint32_t ADDR;     // 0x08 RW absolute address
  volatile uint32_t DATA0;    // 0x0C RW bytes 0-3 to program
  volatile uint32_t DATA1;    // 0x10 RW bytes 4-7 (8-byte units only)
  volatile uint32_t CMD;      // 0x14 W  1 program, 2 erase sector
  volatile uint32_t STATUS;   // 0x18 R/W1C bit0 BUSY, bit1 DONE, bit2 ERR, bits[11:8] ERRCODE
  volatile uint32_t SECTOR;   // 0x1C R sector size
  volatile uint32_t UNIT;     // 0x20 R program unit
  volatile uint32_t OPCOUNT;  // 0x24 R operations started
  volatile uint32_t BASE;     // 0x28 R array base address
  volatile uint32_t SIZE;     // 0x2C R array size
  volatile uint32_t LEN;      // 0x30 RW bytes CMD 3 programs from BUF
  volatile uint32_t PAGE;     // 0x34 R page size: a buffered program stays inside one page
  uint32_t reserved[50];
  volatile uint32_t BUF[64];  // 0x100 RW the write buffer
};
static_assert(offsetof(FlashCtl, UNIT) == 0x20);
static_assert(offsetof(FlashCtl, PAGE) == 0x34);
static_assert(offsetof(FlashCtl, BUF) == 0x100);
constexpr uint32_t kFlashKey1 = 0x45670123u;
constexpr uint32_t kFlashKey2 = 0xCDEF89ABu;
constexpr uint32_t FLASH_CTRL_LOCK = 1u << 0;
constexpr uint32_t FLASH_CTRL_DONEIE = 1u << 1;
constexpr uint32_t FLASH_CTRL_ERRIE = 1u << 2;
constexpr uint32_t FLASH_CMD_PROGRAM = 1;
constexpr uint32_t FLASH_CMD_ERASE = 2;
constexpr uint32_t FLASH_CMD_PROGRAM_BUFFER = 3;
constexpr uint32_t FLASH_STATUS_BUSY = 1u << 0;
constexpr uint32_t FLASH_STATUS_DONE = 1u << 1;
constexpr uint32_t FLASH_STATUS_ERR = 1u << 2;

// ============================================================ [net-link] 0x40007000, IRQ 4
struct Net {
  volatile uint32_t CMD;      // 0x00 W  1 connect, 2 close, 3 abort
  volatile uint32_t ADDR;     // 0x04 RW IPv4, host order
  volatile uint32_t PORT;     // 0x08 RW
  volatile uint32_t STATE;    // 0x0C R  NET_STATE_*
  volatile uint32_t ERROR;    // 0x10 R  NET_ERR_*
  volatile uint32_t EVENTS;   // 0x14 R/W1C
  volatile uint32_t IRQEN;    // 0x18 RW mask over EVENTS
  volatile uint32_t TXDATA;   // 0x1C W  push one byte
  volatile uint32_t TXFREE;   // 0x20 R
  volatile uint32_t RXDATA;   // 0x24 R  pop one byte
  volatile uint32_t RXCOUNT;  // 0x28 R
  volatile uint32_t RXWORD;   // 0x2C R  pop four bytes (RXCOUNT >= 4)
};
static_assert(offsetof(Net, RXWORD) == 0x2C);
constexpr uint32_t NET_CMD_CONNECT = 1, NET_CMD_CLOSE = 2, NET_CMD_ABORT = 3;
constexpr uint32_t NET_STATE_IDLE = 0, NET_STATE_CONNECTING = 1, NET_STATE_CONNECTED = 2,
                   NET_STATE_PEER_CLOSED = 3, NET_STATE_ERROR = 4;
constexpr uint32_t NET_EVENTS_ALL = 0x1Fu;

// ============================================================ [status-port] 0x40008000
// The documented status channel scenarios read (docs/peripherals.md "status-port").
struct StatusPort {
  volatile uint32_t MAGIC;      // 0x00 R
  volatile uint32_t VERSION;    // 0x04 RW running script version, packed
  volatile uint32_t SLOT;       // 0x08 RW STATUS_SLOT_*
  volatile uint32_t STATE;      // 0x0C RW STATUS_STATE_*
  volatile uint32_t UPDATES;    // 0x10 RW updates applied since boot
  volatile uint32_t ROLLBACKS;  // 0x14 RW rollbacks since boot
  volatile uint32_t HEARTBEAT;  // 0x18 RW script ticks
};
static_assert(offsetof(StatusPort, HEARTBEAT) == 0x18);
constexpr uint32_t STATUS_SLOT_NONE = 0, STATUS_SLOT_FACTORY = 1, STATUS_SLOT_A = 2, STATUS_SLOT_B = 3;
constexpr uint32_t STATUS_STATE_BOOTING = 0, STATUS_STATE_RUNNING = 1, STATUS_STATE_TRIAL = 2,
                   STATUS_STATE_FACTORY = 3, STATUS_STATE_FAILED = 4;

// Flash partitions (board.yaml `partitions:`).
constexpr uint32_t kSectorSize = 4096u;
constexpr uint32_t kMetaBase = 0x40000u, kMetaSize = 16u * 1024u;
constexpr uint32_t kFactoryBase = 0x44000u, kFactorySize = 48u * 1024u;
constexpr uint32_t kSlotABase = 0x50000u, kSlotBBase = 0x68000u, kSlotSize = 96u * 1024u;

inline Uart& uart0() { return *reinterpret_cast<Uart*>(0x40001000u); }
inline Gpio& gpio0() { return *reinterpret_cast<Gpio*>(0x40002000u); }
inline Wdt& wdt() { return *reinterpret_cast<Wdt*>(0x40003000u); }
inline Sysctl& sysctl() { return *reinterpret_cast<Sysctl*>(0x40004000u); }
inline Rng& rng() { return *reinterpret_cast<Rng*>(0x40005000u); }
inline FlashCtl& flashctl() { return *reinterpret_cast<FlashCtl*>(0x40006000u); }
inline Net& netlink() { return *reinterpret_cast<Net*>(0x40007000u); }
inline StatusPort& status() { return *reinterpret_cast<StatusPort*>(0x40008000u); }

// IRQ lines (NVIC inputs).
constexpr uint32_t kIrqUart0 = 0;
constexpr uint32_t kIrqGpio0 = 1;
constexpr uint32_t kIrqWdt = 2;
constexpr uint32_t kIrqFlash = 3;
constexpr uint32_t kIrqNet = 4;

// Pins on gpio0 (board.yaml `pins:`).
constexpr uint32_t kPinLed0 = 0;
constexpr uint32_t kPinLed1 = 1;
constexpr uint32_t kPinButton = 2;  // input, pull-up: pressed = low

}  // namespace demo_m4
