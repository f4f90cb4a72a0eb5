#include "textflag.h"

// The AVX-512 and AVX2 forms of each kernel are one loop written once, for
// vectors of eight (Z registers, 64 bytes) or four (Y registers, 32
// bytes) values.

// DIST2COLS is the body of dist2Cols*(r2, a, bt *float64, d, ld, n int):
// vectors of squared distances, coordinate after coordinate.
#define DIST2COLS(V0, V1, V8, STEP) \
	MOVQ r2+0(FP), DI; \
	MOVQ a+8(FP), SI; \
	MOVQ bt+16(FP), BX; \
	MOVQ d+24(FP), R9; \
	MOVQ ld+32(FP), R10; \
	SHLQ $3, R10; \
	MOVQ n+40(FP), CX; \
	TESTQ CX, CX; \
	JE done; \
	VBROADCASTSD (SI), V8; \
loop: \
	VSUBPD (BX), V8, V0; \
	VMULPD V0, V0, V0; \
	MOVQ BX, R11; \
	MOVQ SI, R12; \
	MOVQ R9, AX; \
	DECQ AX; \
	JE store; \
coord: \
	ADDQ R10, R11; \
	ADDQ $8, R12; \
	VBROADCASTSD (R12), V1; \
	VSUBPD (R11), V1, V1; \
	VMULPD V1, V1, V1; \
	VADDPD V1, V0, V0; \
	DECQ AX; \
	JNE coord; \
store: \
	VMOVUPD V0, (DI); \
	ADDQ $STEP, DI; \
	ADDQ $STEP, BX; \
	DECQ CX; \
	JNE loop; \
done: \
	VZEROUPPER

// GRADCOL is the loop of gradCol*(w, b, gt *float64, a, coef float64, n
// int) float64: t = (coef·w)·(a − b) summed into V0 lane by lane, and
// subtracted from gt when gt is not nil. XOR clears a register of the
// width (VPXORQ for Z, the AVX2 VPXOR for Y).
#define GRADCOL(XOR, V0, V1, V2, V3, V8, V9, STEP) \
	MOVQ w+0(FP), SI; \
	MOVQ b+8(FP), BX; \
	MOVQ gt+16(FP), DI; \
	VBROADCASTSD a+24(FP), V8; \
	VBROADCASTSD coef+32(FP), V9; \
	MOVQ n+40(FP), CX; \
	XOR V0, V0, V0; \
	TESTQ DI, DI; \
	JE plain; \
withgt: \
	VMULPD (SI), V9, V1; \
	VSUBPD (BX), V8, V2; \
	VMULPD V2, V1, V1; \
	VADDPD V1, V0, V0; \
	VMOVUPD (DI), V3; \
	VSUBPD V1, V3, V3; \
	VMOVUPD V3, (DI); \
	ADDQ $STEP, SI; \
	ADDQ $STEP, BX; \
	ADDQ $STEP, DI; \
	DECQ CX; \
	JNE withgt; \
	JMP sum; \
plain: \
	VMULPD (SI), V9, V1; \
	VSUBPD (BX), V8, V2; \
	VMULPD V2, V1, V1; \
	VADDPD V1, V0, V0; \
	ADDQ $STEP, SI; \
	ADDQ $STEP, BX; \
	DECQ CX; \
	JNE plain; \
sum:

// HSUM4 leaves the sum of the four lanes of Y0 in X0.
#define HSUM4 \
	VEXTRACTF128 $1, Y0, X1; \
	VADDPD X1, X0, X0; \
	VUNPCKHPD X0, X0, X1; \
	VADDSD X1, X0, X0; \
	VZEROUPPER

// func dist2ColsAVX512(r2, a, bt *float64, d, ld, n8 int)
TEXT ·dist2ColsAVX512(SB), NOSPLIT, $0-48
	DIST2COLS(Z0, Z1, Z8, 64)
	RET

// func dist2ColsAVX2(r2, a, bt *float64, d, ld, n4 int)
TEXT ·dist2ColsAVX2(SB), NOSPLIT, $0-48
	DIST2COLS(Y0, Y1, Y8, 32)
	RET

// func gradColAVX512(w, b, gt *float64, a, coef float64, n8 int) float64
TEXT ·gradColAVX512(SB), NOSPLIT, $0-56
	GRADCOL(VPXORQ, Z0, Z1, Z2, Z3, Z8, Z9, 64)
	VEXTRACTF64X4 $1, Z0, Y1
	VADDPD Y1, Y0, Y0
	HSUM4
	MOVSD X0, ret+48(FP)
	RET

// func gradColAVX2(w, b, gt *float64, a, coef float64, n4 int) float64
TEXT ·gradColAVX2(SB), NOSPLIT, $0-56
	GRADCOL(VPXOR, Y0, Y1, Y2, Y3, Y8, Y9, 32)
	HSUM4
	MOVSD X0, ret+48(FP)
	RET
