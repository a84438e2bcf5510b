// The factory script, placed in the `factory` flash partition by the linker (.factory_script
// in link.ld) straight from boards/demo-m4/scripts/factory.py. Format (read by
// update/slots.cpp): "HSFS", u32 source length, source bytes. It is part of the firmware
// image, so it is trusted like the firmware and carries no signature.
#ifndef HILSIM_FACTORY_SCRIPT
#error "HILSIM_FACTORY_SCRIPT must name the factory script (set by CMakeLists.txt)"
#endif

__asm__(
    ".section .factory_script,\"a\"\n"
    ".balign 4\n"
    ".global g_factory_script\n"
    "g_factory_script:\n"
    ".ascii \"HSFS\"\n"
    ".word 2f - 1f\n"
    "1:\n"
    ".incbin \"" HILSIM_FACTORY_SCRIPT "\"\n"
    "2:\n"
    ".previous\n");
