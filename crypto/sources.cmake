# The crypto sources (SHA-256, SHA-512, Ed25519 verification), shared by the host build
# (crypto/CMakeLists.txt) and firmware projects (include this file with HILSIM_ROOT set to the
# repository root; add HILSIM_ROOT to the include path). Freestanding C++17; they need only
# memcpy and memset from the C library and compile with -fno-exceptions -fno-rtti.
if(NOT HILSIM_ROOT)
  set(HILSIM_ROOT ${CMAKE_CURRENT_LIST_DIR}/..)
endif()
set(HILSIM_CRYPTO_SOURCES
  ${HILSIM_ROOT}/crypto/sha256.cpp
  ${HILSIM_ROOT}/crypto/sha512.cpp
  ${HILSIM_ROOT}/crypto/fe25519.cpp
  ${HILSIM_ROOT}/crypto/ge25519.cpp
  ${HILSIM_ROOT}/crypto/ge25519_base.cpp
  ${HILSIM_ROOT}/crypto/sc25519.cpp
  ${HILSIM_ROOT}/crypto/ed25519_verify.cpp
)
set(HILSIM_CRYPTO_FLAGS -fno-exceptions -fno-rtti)
