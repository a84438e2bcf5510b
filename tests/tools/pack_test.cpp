// `hilsim keygen` and `hilsim pack` as a user runs them: key files, bundles, manifests,
// --inspect with the right and the wrong key, refusal of broken scripts and of overwriting keys.
#include <doctest/doctest.h>

#include "tools/hilsim_command.h"

#include <sys/stat.h>
#include <sys/wait.h>

#include <array>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <string>

namespace {

using Result = hilsim::test::CommandResult;

// A fresh directory under /tmp for one test case.
struct TempDir {
  std::string path;
  TempDir() {
    char tmpl[] = "/tmp/hilsim-pack-XXXXXX";
    REQUIRE(mkdtemp(tmpl) != nullptr);
    path = tmpl;
  }
  ~TempDir() { std::system(("rm -rf '" + path + "'").c_str()); }
  std::string operator/(const std::string& name) const { return path + "/" + name; }
};

void write(const std::string& path, const std::string& text) {
  std::ofstream f(path, std::ios::binary);
  f << text;
}

std::string read(const std::string& path) {
  std::ifstream f(path, std::ios::binary);
  std::ostringstream s;
  s << f.rdbuf();
  return s.str();
}

bool contains(const std::string& hay, const std::string& needle) { return hay.find(needle) != std::string::npos; }

const char* kScript = "count = 0\ndef tick(n):\n    global count\n    count += n\n    return count\n";

}  // namespace

TEST_CASE("pack: keygen writes a 0600 secret key and a public key, and refuses to overwrite them") {
  TempDir d;
  Result r = hilsim::test::run_hilsim("keygen -o " + (d / "k"));
  REQUIRE_MESSAGE(r.code == 0, r.out);
  std::string key = read(d / "k.key"), pub = read(d / "k.pub");
  CHECK(key.size() == std::string("ed25519-seed ").size() + 64 + 1);
  CHECK(key.rfind("ed25519-seed ", 0) == 0);
  CHECK(pub.rfind("ed25519-public ", 0) == 0);
  CHECK(pub.size() == std::string("ed25519-public ").size() + 64 + 1);
  struct stat st;
  REQUIRE(stat((d / "k.key").c_str(), &st) == 0);
  CHECK((st.st_mode & 0777) == 0600);

  r = hilsim::test::run_hilsim("keygen -o " + (d / "k"));
  CHECK(r.code == 2);
  CHECK(contains(r.out, d / "k.key"));
  CHECK(contains(r.out, "--force"));
  CHECK(read(d / "k.key") == key);  // untouched
  r = hilsim::test::run_hilsim("keygen -o " + (d / "k") + " --force");
  CHECK(r.code == 0);
  CHECK(read(d / "k.key") != key);
  CHECK(read(d / "k.pub") != pub);
}

TEST_CASE("pack: keygen --c-header prints the trusted-key header") {
  TempDir d;
  REQUIRE(hilsim::test::run_hilsim("keygen -o " + (d / "k")).code == 0);
  std::string hex = read(d / "k.pub").substr(std::string("ed25519-public ").size(), 64);
  Result r = hilsim::test::run_hilsim("keygen --c-header " + (d / "k.pub"));
  REQUIRE_MESSAGE(r.code == 0, r.out);
  CHECK(contains(r.out, "namespace hilsim::fw {"));
  CHECK(contains(r.out, "inline constexpr unsigned char kTrustedPublicKey[32] = {"));
  CHECK(contains(r.out, "0x" + hex.substr(0, 2) + ", 0x" + hex.substr(2, 2) + ","));
  CHECK(contains(r.out, "0x" + hex.substr(62, 2) + ",\n};"));
  r = hilsim::test::run_hilsim("keygen --c-header " + (d / "k.pub") + " -o " + (d / "key.h"));
  CHECK(r.code == 0);
  CHECK(contains(read(d / "key.h"), "kTrustedPublicKey"));
  r = hilsim::test::run_hilsim("keygen --c-header " + (d / "k.key"));  // a secret key is not a public key
  CHECK(r.code == 2);
  CHECK(contains(r.out, "ed25519-public"));
}

TEST_CASE("pack: a source bundle with its manifest, inspected with the right and the wrong key") {
  TempDir d;
  REQUIRE(hilsim::test::run_hilsim("keygen -o " + (d / "dev")).code == 0);
  REQUIRE(hilsim::test::run_hilsim("keygen -o " + (d / "rogue")).code == 0);
  write(d / "app.py", kScript);
  Result r = hilsim::test::run_hilsim("pack --key " + (d / "dev.key") + " --version 1.2.0 " + (d / "app.py") + " -o " +
                    (d / "app-1.2.0.bundle") + " --manifest " + (d / "manifest"));
  REQUIRE_MESSAGE(r.code == 0, r.out);
  std::string bundle = read(d / "app-1.2.0.bundle");
  REQUIRE(bundle.size() == 128 + std::string(kScript).size());
  CHECK(bundle.compare(0, 4, "HSB1") == 0);
  CHECK(bundle.substr(128) == kScript);
  CHECK(bundle[16] == 0);  // kind: source

  std::string m = read(d / "manifest");
  CHECK(m.rfind("version=1.2.0\nsize=" + std::to_string(std::string(kScript).size()) + "\nkind=source\nsha256=", 0) == 0);
  CHECK(contains(m, "\nurl=/bundles/app-1.2.0.bundle\n"));

  r = hilsim::test::run_hilsim("pack --inspect " + (d / "app-1.2.0.bundle") + " --pub " + (d / "dev.pub"));
  CHECK_MESSAGE(r.code == 0, r.out);
  CHECK(contains(r.out, "version    1.2.0"));
  CHECK(contains(r.out, "hash       ok"));
  CHECK(contains(r.out, "signature  ok"));
  r = hilsim::test::run_hilsim("pack --inspect " + (d / "app-1.2.0.bundle") + " --pub " + (d / "rogue.pub"));
  CHECK(r.code == 1);
  CHECK(contains(r.out, "hash       ok"));
  CHECK(contains(r.out, "signature  INVALID"));
  CHECK(contains(r.out, d / "rogue.pub"));

  // A payload changed after signing fails the hash; a truncated file is reported as such.
  std::string tampered = bundle;
  tampered[130] ^= 1;
  write(d / "tampered.bundle", tampered);
  r = hilsim::test::run_hilsim("pack --inspect " + (d / "tampered.bundle") + " --pub " + (d / "dev.pub"));
  CHECK(r.code == 1);
  CHECK(contains(r.out, "MISMATCH"));
  CHECK(contains(r.out, "signature  ok"));  // the header itself is intact
  write(d / "short.bundle", bundle.substr(0, 100));
  r = hilsim::test::run_hilsim("pack --inspect " + (d / "short.bundle"));
  CHECK(r.code == 2);
  CHECK(contains(r.out, "short.bundle"));
  CHECK(contains(r.out, "128-byte header"));
}

TEST_CASE("pack: --bytecode compiles with the VM — --url sets the manifest's url") {
  TempDir d;
  REQUIRE(hilsim::test::run_hilsim("keygen -o " + (d / "dev")).code == 0);
  write(d / "app.py", kScript);
  Result r = hilsim::test::run_hilsim("pack --key " + (d / "dev.key") + " --version 2.0.1 --bytecode " + (d / "app.py") + " -o " +
                    (d / "app.bundle") + " --manifest " + (d / "m") + " --url /fw/app.bundle");
  REQUIRE_MESSAGE(r.code == 0, r.out);
  std::string bundle = read(d / "app.bundle");
  CHECK(bundle.compare(128, 4, "HPYC") == 0);
  CHECK(bundle[16] == 1);  // kind: bytecode
  CHECK(contains(read(d / "m"), "kind=bytecode\n"));
  CHECK(contains(read(d / "m"), "url=/fw/app.bundle\n"));
  r = hilsim::test::run_hilsim("pack --inspect " + (d / "app.bundle") + " --pub " + (d / "dev.pub"));
  CHECK(r.code == 0);
  CHECK(contains(r.out, "kind       bytecode"));
}

TEST_CASE("pack: a script that does not compile is refused with file:line:col unless --allow-broken") {
  TempDir d;
  REQUIRE(hilsim::test::run_hilsim("keygen -o " + (d / "dev")).code == 0);
  write(d / "broken.py", "x = 1\ndef tick(n)\n    return n\n");
  const std::string base = "pack --key " + (d / "dev.key") + " --version 1.0.1 " + (d / "broken.py") + " -o " +
                           (d / "broken.bundle");
  Result r = hilsim::test::run_hilsim(base);
  CHECK(r.code == 1);
  CHECK(contains(r.out, d / "broken.py" + ":2:"));
  CHECK(contains(r.out, "SyntaxError"));
  CHECK(contains(r.out, "--allow-broken"));
  struct stat st;
  CHECK(stat((d / "broken.bundle").c_str(), &st) != 0);  // nothing written
  r = hilsim::test::run_hilsim(base + " --bytecode");
  CHECK(r.code == 1);
  r = hilsim::test::run_hilsim(base + " --allow-broken");
  CHECK_MESSAGE(r.code == 0, r.out);
  CHECK(contains(r.out, "warning"));
  CHECK(hilsim::test::run_hilsim("pack --inspect " + (d / "broken.bundle") + " --pub " + (d / "dev.pub")).code == 0);
}

TEST_CASE("pack: bad input names the file or option and what was expected") {
  TempDir d;
  REQUIRE(hilsim::test::run_hilsim("keygen -o " + (d / "dev")).code == 0);
  write(d / "app.py", kScript);
  const std::string out = " -o " + (d / "x.bundle");
  Result r = hilsim::test::run_hilsim("pack --key " + (d / "dev.key") + " --version 1.2 " + (d / "app.py") + out);
  CHECK(r.code == 2);
  CHECK(contains(r.out, "--version"));
  CHECK(contains(r.out, "MAJOR.MINOR.PATCH"));
  r = hilsim::test::run_hilsim("pack --key " + (d / "dev.pub") + " --version 1.2.0 " + (d / "app.py") + out);
  CHECK(r.code == 2);
  CHECK(contains(r.out, d / "dev.pub"));
  CHECK(contains(r.out, "ed25519-seed"));
  r = hilsim::test::run_hilsim("pack --key " + (d / "nope.key") + " --version 1.2.0 " + (d / "app.py") + out);
  CHECK(r.code == 2);
  CHECK(contains(r.out, d / "nope.key"));
  r = hilsim::test::run_hilsim("pack --key " + (d / "dev.key") + " --version 1.2.0 " + (d / "missing.py") + out);
  CHECK(r.code == 2);
  CHECK(contains(r.out, d / "missing.py"));
  write(d / "notabundle", std::string(200, 'x'));
  r = hilsim::test::run_hilsim("pack --inspect " + (d / "notabundle"));
  CHECK(r.code == 2);
  CHECK(contains(r.out, d / "notabundle"));
  CHECK(contains(r.out, "HSB1"));
  r = hilsim::test::run_hilsim("pack --key " + (d / "dev.key") + " --version 1.2.0 " + (d / "app.py") + out + " --manifest " +
             (d / "m") + " --url bundles/x");
  CHECK(r.code == 2);
  CHECK(contains(r.out, "--url"));
}
