//go:build windows

package outputs

import (
	"errors"

	"golang.org/x/sys/windows"
)

// diskFull reports Windows' own words for a disk that takes no more.
func diskFull(err error) bool {
	return errors.Is(err, windows.ERROR_DISK_FULL) || errors.Is(err, windows.ERROR_HANDLE_DISK_FULL) ||
		errors.Is(err, windows.ERROR_WRITE_PROTECT)
}
