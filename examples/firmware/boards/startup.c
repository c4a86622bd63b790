/* startup.c - bare-metal start for the Cortex-M boards of QEMU (mps2-an385, -an386,
   -an500, -an505, mps3-an547; the memory map is the board's linker script): the vector
   table, copying .data and zeroing .bss, enabling the FPU when there is one, newlib's
   constructors and semihosting stdio, then main(); its return value leaves QEMU through
   exit(). */
#include <stdint.h>
#include <stdlib.h>

extern uint32_t __data_load[], __data_start[], __data_end[], __bss_start[], __bss_end[];
extern uint32_t __stack_top[];
extern int main(void);
extern void initialise_monitor_handles(void); /* newlib's rdimon: semihosting I/O */
extern void __libc_init_array(void);

void Reset_Handler(void);
void Fault_Handler(void);

/* -nostartfiles drops crti.o, whose _init/_fini __libc_init_array calls */
void _init(void) {}
void _fini(void) {}

void Reset_Handler(void)
{
	uint32_t *src = __data_load, *dst = __data_start;

#ifdef __ARM_FP
	/* CPACR: full access to coprocessors 10 and 11, the FPU (and M-profile vectors),
	   first: the compiler may vectorize the loops below */
	*(volatile uint32_t *)0xE000ED88u |= 0xFu << 20;
	__asm volatile("dsb\n\tisb");
#endif
	while (dst < __data_end)
		*dst++ = *src++;
	for (dst = __bss_start; dst < __bss_end;)
		*dst++ = 0;
	__libc_init_array();
	initialise_monitor_handles();
	exit(main());
}

void Fault_Handler(void)
{
	exit(99);
}

__attribute__((section(".vectors"), used)) static void (*const vectors[16])(void) = {
	(void (*)(void))(uintptr_t)__stack_top,
	Reset_Handler,
	Fault_Handler, /* NMI */
	Fault_Handler, /* HardFault */
	Fault_Handler, /* MemManage */
	Fault_Handler, /* BusFault */
	Fault_Handler, /* UsageFault */
};
