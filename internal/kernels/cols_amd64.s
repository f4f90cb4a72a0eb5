#include "textflag.h"

// func dist2ColsAVX512(r2, a, bt *float64, d, ld, n8 int)
TEXT ·dist2ColsAVX512(SB), NOSPLIT, $0-48
	MOVQ r2+0(FP), DI
	MOVQ a+8(FP), SI
	MOVQ bt+16(FP), BX
	MOVQ d+24(FP), R9
	MOVQ ld+32(FP), R10
	SHLQ $3, R10                     // column stride in bytes
	MOVQ n8+40(FP), CX
	TESTQ CX, CX
	JE d8done
	VBROADCASTSD (SI), Z8            // a[0]
d8loop:
	VSUBPD (BX), Z8, Z0              // a0 − b0
	VMULPD Z0, Z0, Z0
	MOVQ BX, R11
	MOVQ SI, R12
	MOVQ R9, AX
	DECQ AX
	JE d8store
d8k:
	ADDQ R10, R11
	ADDQ $8, R12
	VBROADCASTSD (R12), Z1
	VSUBPD (R11), Z1, Z1             // ak − bk
	VMULPD Z1, Z1, Z1
	VADDPD Z1, Z0, Z0
	DECQ AX
	JNE d8k
d8store:
	VMOVUPD Z0, (DI)
	ADDQ $64, DI
	ADDQ $64, BX
	DECQ CX
	JNE d8loop
d8done:
	VZEROUPPER
	RET

// func dist2ColsAVX2(r2, a, bt *float64, d, ld, n4 int)
TEXT ·dist2ColsAVX2(SB), NOSPLIT, $0-48
	MOVQ r2+0(FP), DI
	MOVQ a+8(FP), SI
	MOVQ bt+16(FP), BX
	MOVQ d+24(FP), R9
	MOVQ ld+32(FP), R10
	SHLQ $3, R10
	MOVQ n4+40(FP), CX
	TESTQ CX, CX
	JE d4done
	VBROADCASTSD (SI), Y8
d4loop:
	VSUBPD (BX), Y8, Y0
	VMULPD Y0, Y0, Y0
	MOVQ BX, R11
	MOVQ SI, R12
	MOVQ R9, AX
	DECQ AX
	JE d4store
d4k:
	ADDQ R10, R11
	ADDQ $8, R12
	VBROADCASTSD (R12), Y1
	VSUBPD (R11), Y1, Y1
	VMULPD Y1, Y1, Y1
	VADDPD Y1, Y0, Y0
	DECQ AX
	JNE d4k
d4store:
	VMOVUPD Y0, (DI)
	ADDQ $32, DI
	ADDQ $32, BX
	DECQ CX
	JNE d4loop
d4done:
	VZEROUPPER
	RET

// func gradColAVX512(w, b, gt *float64, a, coef float64, n8 int) float64
TEXT ·gradColAVX512(SB), NOSPLIT, $0-56
	MOVQ w+0(FP), SI
	MOVQ b+8(FP), BX
	MOVQ gt+16(FP), DI
	VBROADCASTSD a+24(FP), Z8
	VBROADCASTSD coef+32(FP), Z9
	MOVQ n8+40(FP), CX
	VPXORQ Z0, Z0, Z0
	TESTQ DI, DI
	JE g8plain
g8gt:
	VMULPD (SI), Z9, Z1              // coef·w
	VSUBPD (BX), Z8, Z2              // a − b
	VMULPD Z2, Z1, Z1                // t
	VADDPD Z1, Z0, Z0
	VMOVUPD (DI), Z3
	VSUBPD Z1, Z3, Z3                // gt − t
	VMOVUPD Z3, (DI)
	ADDQ $64, SI
	ADDQ $64, BX
	ADDQ $64, DI
	DECQ CX
	JNE g8gt
	JMP g8sum
g8plain:
	VMULPD (SI), Z9, Z1
	VSUBPD (BX), Z8, Z2
	VMULPD Z2, Z1, Z1
	VADDPD Z1, Z0, Z0
	ADDQ $64, SI
	ADDQ $64, BX
	DECQ CX
	JNE g8plain
g8sum:
	VEXTRACTF64X4 $1, Z0, Y1
	VADDPD Y1, Y0, Y0
	VEXTRACTF128 $1, Y0, X1
	VADDPD X1, X0, X0
	VUNPCKHPD X0, X0, X1
	VADDSD X1, X0, X0
	VZEROUPPER
	MOVSD X0, ret+48(FP)
	RET

// func gradColAVX2(w, b, gt *float64, a, coef float64, n4 int) float64
TEXT ·gradColAVX2(SB), NOSPLIT, $0-56
	MOVQ w+0(FP), SI
	MOVQ b+8(FP), BX
	MOVQ gt+16(FP), DI
	VBROADCASTSD a+24(FP), Y8
	VBROADCASTSD coef+32(FP), Y9
	MOVQ n4+40(FP), CX
	VXORPD Y0, Y0, Y0
	TESTQ DI, DI
	JE g4plain
g4gt:
	VMULPD (SI), Y9, Y1
	VSUBPD (BX), Y8, Y2
	VMULPD Y2, Y1, Y1
	VADDPD Y1, Y0, Y0
	VMOVUPD (DI), Y3
	VSUBPD Y1, Y3, Y3
	VMOVUPD Y3, (DI)
	ADDQ $32, SI
	ADDQ $32, BX
	ADDQ $32, DI
	DECQ CX
	JNE g4gt
	JMP g4sum
g4plain:
	VMULPD (SI), Y9, Y1
	VSUBPD (BX), Y8, Y2
	VMULPD Y2, Y1, Y1
	VADDPD Y1, Y0, Y0
	ADDQ $32, SI
	ADDQ $32, BX
	DECQ CX
	JNE g4plain
g4sum:
	VEXTRACTF128 $1, Y0, X1
	VADDPD X1, X0, X0
	VUNPCKHPD X0, X0, X1
	VADDSD X1, X0, X0
	VZEROUPPER
	MOVSD X0, ret+48(FP)
	RET

// func sum4AVX2(v *float64, n4 int, s *[4]float64)
TEXT ·sum4AVX2(SB), NOSPLIT, $0-24
	MOVQ v+0(FP), SI
	MOVQ n4+8(FP), CX
	MOVQ s+16(FP), DI
	VXORPD Y0, Y0, Y0
s4loop:
	VADDPD (SI), Y0, Y0
	ADDQ $32, SI
	DECQ CX
	JNE s4loop
	VMOVUPD Y0, (DI)
	VZEROUPPER
	RET
