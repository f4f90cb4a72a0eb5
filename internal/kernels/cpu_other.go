//go:build !amd64

package kernels

func detectPath() Path { return PathGo }
