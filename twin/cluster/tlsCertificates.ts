import { execFile } from "child_process";
import { randomBytes } from "crypto";
import * as fs from "fs";
import * as path from "path";
import { promisify } from "util";

const run = promisify(execFile);
const NEW_KEY = ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes"];

/** Files and PEM text of a throw-away CA and one server certificate signed by it. */
export interface TlsMaterial {
    /** The CA certificate (PEM) a client trusts, e.g. ioredis `tls: { ca }`. */
    readonly ca: string;
    /** Path of the CA certificate, e.g. for `NODE_EXTRA_CA_CERTS` or `redis-cli --cacert`. */
    readonly caPath: string;
    /** Path of the server certificate (PEM), valid for every requested IP and DNS name. */
    readonly certPath: string;
    /** Path of the server certificate's private key (PEM, unencrypted). */
    readonly keyPath: string;
}

/**
 * Creates a self-signed CA and a certificate signed by it, valid for `ipAddresses` and `dnsNames`, in `dir`.
 * P-256 keys: generated in milliseconds, unlike RSA, which matters when every test run makes a new CA.
 */
export async function createTlsMaterial(
    dir: string,
    ipAddresses: readonly string[],
    dnsNames: readonly string[],
): Promise<TlsMaterial> {
    await fs.promises.mkdir(dir, { recursive: true });
    const file = (name: string): string => path.join(dir, name);
    const openssl = opensslIn(dir);

    await openssl([
        "req",
        "-x509",
        ...NEW_KEY,
        "-days",
        "2",
        "-subj",
        "/CN=redis-cluster test CA",
        "-addext",
        "basicConstraints=critical,CA:TRUE",
        "-addext",
        "keyUsage=critical,keyCertSign,cRLSign",
        "-keyout",
        file("ca.key"),
        "-out",
        file("ca.crt"),
    ]);
    const node = await issueNodeCertificate(dir, "node", ipAddresses, dnsNames);
    await fs.promises.chmod(file("ca.key"), 0o600);

    return {
        ca: await fs.promises.readFile(file("ca.crt"), "utf8"),
        caPath: file("ca.crt"),
        certPath: node.certPath,
        keyPath: node.keyPath,
    };
}

/**
 * Issues one more server certificate, signed by the CA {@link createTlsMaterial} made in `dir`, as `<name>.crt` and
 * `<name>.key` there: a node that joins a running cluster on a new address gets its own certificate naming it,
 * trusted by every client and peer that already trusts the CA.
 */
export async function issueNodeCertificate(
    dir: string,
    name: string,
    ipAddresses: readonly string[],
    dnsNames: readonly string[],
): Promise<{ readonly certPath: string; readonly keyPath: string }> {
    if (!/^[a-z0-9-]+$/.test(name)) throw new Error(`issueNodeCertificate: bad file name ${JSON.stringify(name)}`);
    const file = (suffix: string): string => path.join(dir, `${name}${suffix}`);
    const openssl = opensslIn(dir);
    await openssl(["req", "-new", ...NEW_KEY, "-subj", "/CN=localhost", "-keyout", file(".key"), "-out", file(".csr")]);
    const subjectAltName = [...ipAddresses.map((ip) => `IP:${ip}`), ...dnsNames.map((dns) => `DNS:${dns}`)].join(",");
    // Nodes are TLS clients of each other on the cluster bus and for replication, hence clientAuth too.
    await fs.promises.writeFile(
        file(".ext"),
        [
            "basicConstraints=CA:FALSE",
            "keyUsage=critical,digitalSignature,keyEncipherment",
            "extendedKeyUsage=serverAuth,clientAuth",
            `subjectAltName=${subjectAltName}`,
            "authorityKeyIdentifier=keyid",
            "subjectKeyIdentifier=hash",
            "",
        ].join("\n"),
    );
    await openssl([
        "x509",
        "-req",
        "-in",
        file(".csr"),
        "-CA",
        path.join(dir, "ca.crt"),
        "-CAkey",
        path.join(dir, "ca.key"),
        // A random serial of its own rather than the CA's serial file, which nodes joining at once (a replica
        // added to every shard together) would read and rewrite concurrently, leaving it empty for one of them.
        "-set_serial",
        randomSerial(),
        "-days",
        "2",
        "-extfile",
        file(".ext"),
        "-out",
        file(".crt"),
    ]);
    // Readable by the owner only, as redis-server expects of private keys.
    await fs.promises.chmod(file(".key"), 0o600);
    return { certPath: file(".crt"), keyPath: file(".key") };
}

/** A positive 63-bit serial number, in the 0x hex form openssl reads. */
function randomSerial(): string {
    const bytes = randomBytes(8);
    bytes[0] &= 0x7f;
    return `0x${bytes.toString("hex")}`;
}

function opensslIn(dir: string): (args: string[]) => Promise<void> {
    return async (args) => {
        try {
            await run("openssl", args, { cwd: dir });
        } catch (error) {
            const stderr = (error as { stderr?: string }).stderr ?? "";
            throw new Error(`openssl ${args[0]} failed: ${stderr.trim() || (error as Error).message}`);
        }
    };
}
