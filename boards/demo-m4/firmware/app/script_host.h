// The script VM on the device: one arena, the native modules scripts may import (gpio, time,
// log, device), and the calls the firmware makes into a script (setup, tick, selftest).
// A script error never stops the firmware: every entry point returns false and prints the
// script's traceback to the console. Script contract: docs/update-firmware.md ("Scripts").
#pragma once
#include <cstdint>

namespace script {

// Creates a fresh VM (all previous script state is dropped). `version` and `slot_name` are
// what device.version() / device.slot() return to the script.
bool reset(uint32_t version, const char* slot_name);
// Updates what device.version()/device.slot() report, keeping the VM (hot update).
void set_identity(uint32_t version, const char* slot_name);

// Runs a payload in the module namespace: kind 0 = source, 1 = bytecode. This is exec():
// definitions replace the previous ones, other globals survive.
bool exec(const uint8_t* payload, uint32_t size, uint32_t kind, const char* name);

bool has(const char* function);
// Calls function(args...) if the script defines it; `truthy` receives bool(result).
bool call(const char* function, const int64_t* args, int nargs, bool* truthy = nullptr);

uint32_t heap_used();
uint32_t heap_peak();

// Button presses counted by the GPIO interrupt, handed to the script by gpio.presses().
void note_button_press();

}  // namespace script
