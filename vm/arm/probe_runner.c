/* Host side of the Cortex-M4 probe: loads probe.elf into Unicorn (Cortex-M4 model),
 * runs it to the BKPT after main, prints the VM's heap figures and output, and exits
 * non-zero unless the output matches argv[4] and (when given) the idle app's heap is at
 * most argv[5] bytes. Usage: probe_runner ELF RESULT_ADDR OUT_ADDR EXPECTED [IDLE_LIMIT] */
#include <elf.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unicorn/unicorn.h>

static void on_intr(uc_engine* uc, uint32_t intno, void* ud) {
  (void)intno;
  (void)ud;
  uc_emu_stop(uc);
}

int main(int argc, char** argv) {
  if (argc < 5) return 2;
  FILE* f = fopen(argv[1], "rb");
  if (!f) return 2;
  fseek(f, 0, SEEK_END);
  long n = ftell(f);
  fseek(f, 0, SEEK_SET);
  unsigned char* buf = malloc((size_t)n);
  if (!buf || fread(buf, 1, (size_t)n, f) != (size_t)n) return 2;
  fclose(f);
  Elf32_Ehdr* eh = (Elf32_Ehdr*)buf;
  uc_engine* uc;
  if (uc_open(UC_ARCH_ARM, UC_MODE_THUMB, &uc) != UC_ERR_OK) return 2;
  uc_ctl_set_cpu_model(uc, UC_CPU_ARM_CORTEX_M4);
  uc_mem_map(uc, 0x0, 1 << 20, UC_PROT_ALL);
  uc_mem_map(uc, 0x20000000, 256 << 10, UC_PROT_ALL);
  Elf32_Phdr* ph = (Elf32_Phdr*)(buf + eh->e_phoff);
  for (int i = 0; i < eh->e_phnum; i++) {
    if (ph[i].p_type != PT_LOAD || ph[i].p_filesz == 0) continue;
    uc_mem_write(uc, ph[i].p_paddr, buf + ph[i].p_offset, ph[i].p_filesz);
    if (ph[i].p_vaddr != ph[i].p_paddr) uc_mem_write(uc, ph[i].p_vaddr, buf + ph[i].p_offset, ph[i].p_filesz);
  }
  uc_hook h;
  uc_hook_add(uc, &h, UC_HOOK_INTR, (void*)on_intr, NULL, 1, 0);
  uint32_t sp = 0x20040000;
  uc_reg_write(uc, UC_ARM_REG_SP, &sp);
  uc_err e = uc_emu_start(uc, eh->e_entry | 1, 0xffffffff, 0, 4000000000ULL);
  unsigned res[6];
  char out[256] = {0};
  uc_mem_read(uc, strtoul(argv[2], 0, 16), res, sizeof res);
  uc_mem_read(uc, strtoul(argv[3], 0, 16), out, sizeof out - 1);
  printf("Cortex-M4 (Unicorn): heap after create %u bytes, idle app %u bytes (VM struct, 64-slot stack,\n"
         "16 frames and handlers included); app status %u, probe status %u\noutput: %s",
         res[1], res[3], res[2], res[4], out);
  if (e != UC_ERR_OK || res[0] != 0x600d || res[2] != 0 || res[4] != 0) return 1;
  if (strcmp(out, argv[4]) != 0) {
    printf("expected: %s", argv[4]);
    return 1;
  }
  if (argc > 5 && res[3] > strtoul(argv[5], 0, 10)) {
    printf("idle app heap %u bytes exceeds the budget of %s bytes\n", res[3], argv[5]);
    return 1;
  }
  return 0;
}
