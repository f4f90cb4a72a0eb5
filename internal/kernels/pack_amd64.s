#include "textflag.h"

// func transpose8AVX512(dst *float64, w int, src *float64, ld int, n int)
//
// Sets dst[p·w+r] = src[r·ld+p] for r < 8 and p < n, n a multiple of 8:
// eight rows of src become n groups of eight neighbouring values, w apart.
// Each 8×8 block is loaded as eight rows and transposed in registers:
// unpacking pairs of rows interleaves their elements, and two rounds of
// 128-bit lane shuffles gather each column's eight values.
TEXT ·transpose8AVX512(SB), NOSPLIT, $0-40
	MOVQ dst+0(FP), DI
	MOVQ w+8(FP), R8
	SHLQ $3, R8
	MOVQ src+16(FP), SI
	MOVQ ld+24(FP), DX
	SHLQ $3, DX
	MOVQ n+32(FP), CX
	SHRQ $3, CX
	JZ   done
	LEAQ (SI)(DX*2), R9
	ADDQ DX, R9 // row 3
	LEAQ (R9)(DX*2), R10
	ADDQ DX, R10 // row 6

loop:
	VMOVUPD (SI), Z0
	VMOVUPD (SI)(DX*1), Z1
	VMOVUPD (SI)(DX*2), Z2
	VMOVUPD (R9), Z3
	VMOVUPD (SI)(DX*4), Z4
	VMOVUPD (R9)(DX*2), Z5
	VMOVUPD (R10), Z6
	VMOVUPD (R9)(DX*4), Z7

	// Rows 2i and 2i+1 interleaved: even columns, then odd columns.
	VUNPCKLPD Z1, Z0, Z8
	VUNPCKHPD Z1, Z0, Z9
	VUNPCKLPD Z3, Z2, Z10
	VUNPCKHPD Z3, Z2, Z11
	VUNPCKLPD Z5, Z4, Z12
	VUNPCKHPD Z5, Z4, Z13
	VUNPCKLPD Z7, Z6, Z14
	VUNPCKHPD Z7, Z6, Z15

	// Lanes 0 and 2 (0x88) or 1 and 3 (0xDD) of the first operand, then
	// of the second.
	VSHUFF64X2 $0x88, Z10, Z8, Z16
	VSHUFF64X2 $0xDD, Z10, Z8, Z17
	VSHUFF64X2 $0x88, Z14, Z12, Z18
	VSHUFF64X2 $0xDD, Z14, Z12, Z19
	VSHUFF64X2 $0x88, Z11, Z9, Z20
	VSHUFF64X2 $0xDD, Z11, Z9, Z21
	VSHUFF64X2 $0x88, Z15, Z13, Z22
	VSHUFF64X2 $0xDD, Z15, Z13, Z23

	VSHUFF64X2 $0x88, Z18, Z16, Z0 // column 0
	VSHUFF64X2 $0x88, Z22, Z20, Z1 // column 1
	VSHUFF64X2 $0x88, Z19, Z17, Z2 // column 2
	VSHUFF64X2 $0x88, Z23, Z21, Z3 // column 3
	VSHUFF64X2 $0xDD, Z18, Z16, Z4 // column 4
	VSHUFF64X2 $0xDD, Z22, Z20, Z5 // column 5
	VSHUFF64X2 $0xDD, Z19, Z17, Z6 // column 6
	VSHUFF64X2 $0xDD, Z23, Z21, Z7 // column 7

	VMOVUPD Z0, (DI)
	ADDQ    R8, DI
	VMOVUPD Z1, (DI)
	ADDQ    R8, DI
	VMOVUPD Z2, (DI)
	ADDQ    R8, DI
	VMOVUPD Z3, (DI)
	ADDQ    R8, DI
	VMOVUPD Z4, (DI)
	ADDQ    R8, DI
	VMOVUPD Z5, (DI)
	ADDQ    R8, DI
	VMOVUPD Z6, (DI)
	ADDQ    R8, DI
	VMOVUPD Z7, (DI)
	ADDQ    R8, DI

	ADDQ $64, SI
	ADDQ $64, R9
	ADDQ $64, R10
	DECQ CX
	JNZ  loop
	VZEROUPPER

done:
	RET
