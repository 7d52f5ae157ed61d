// Hunspell's C API (Debian: libhunspell-dev; Homebrew: hunspell).
#include <hunspell/hunspell.h>
