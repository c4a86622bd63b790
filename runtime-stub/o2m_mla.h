/* o2m_mla.h - O2M_MLA_F32(acc, a, b): acc += a * b for float, the product rounded and
   then the sum, as C computes it without contraction. On a core whose FPU has
   VMLA.F32 (every Cortex-M FPU) the instruction is asked for directly: GCC does not
   choose it for Cortex-M cores and a contracted form (VFMA) would round once and
   differ from the portable path in the last bit; VMLA gives the same bits as the
   two-step C. Define O2M_NO_ASM to build the plain C everywhere. */
#ifndef O2M_MLA_H
#define O2M_MLA_H

#if defined(__GNUC__) && defined(__arm__) && defined(__ARM_FP) && (__ARM_FP & 4) && \
	!defined(O2M_NO_ASM)
#define O2M_ARM_VFP 1 /* the FPU's instructions may be asked for by inline assembly */
#define O2M_MLA_F32(acc, a, b) __asm__("vmla.f32 %0, %1, %2" : "+t"(acc) : "t"(a), "t"(b))
#else
#define O2M_MLA_F32(acc, a, b) ((acc) += (a) * (b))
#endif

#endif
