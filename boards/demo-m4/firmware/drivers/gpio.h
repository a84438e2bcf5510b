// gpio0 driver for the demo-m4 pins: LED0/LED1 outputs, BUTTON input with pull-up and a
// falling-edge (press) interrupt. Register map: docs/peripherals.md "gpio".
#pragma once
#include <cstdint>

namespace gpio {

// LEDs off and driven, BUTTON pulled up with its falling-edge interrupt, NVIC line enabled.
void init(uint8_t irq_priority);

void led_set(uint32_t pin, bool on);
void led_toggle(uint32_t pin);
bool led_is_on(uint32_t pin);
bool button_is_pressed();        // pressed = low

// Returns and clears the latched edge bits (IRQSTAT); call from GPIO0_IRQHandler.
uint32_t take_edges();

}  // namespace gpio
