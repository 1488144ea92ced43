import { execFile } from "child_process";
import * as fs from "fs";
import * as path from "path";
import { promisify } from "util";

const run = promisify(execFile);

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
export async function createTlsMaterial(dir: string, ipAddresses: string[], dnsNames: string[]): Promise<TlsMaterial> {
    await fs.promises.mkdir(dir, { recursive: true });
    const file = (name: string): string => path.join(dir, name);
    const openssl = async (args: string[]): Promise<void> => {
        try {
            await run("openssl", args, { cwd: dir });
        } catch (error) {
            const stderr = (error as { stderr?: string }).stderr ?? "";
            throw new Error(`openssl ${args[0]} failed: ${stderr.trim() || (error as Error).message}`);
        }
    };
    const newKey = ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes"];

    await openssl([
        "req",
        "-x509",
        ...newKey,
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
    await openssl([
        "req",
        "-new",
        ...newKey,
        "-subj",
        "/CN=localhost",
        "-keyout",
        file("node.key"),
        "-out",
        file("node.csr"),
    ]);
    const subjectAltName = [...ipAddresses.map((ip) => `IP:${ip}`), ...dnsNames.map((name) => `DNS:${name}`)].join(",");
    // Nodes are TLS clients of each other on the cluster bus and for replication, hence clientAuth too.
    await fs.promises.writeFile(
        file("node.ext"),
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
        file("node.csr"),
        "-CA",
        file("ca.crt"),
        "-CAkey",
        file("ca.key"),
        "-CAcreateserial",
        "-days",
        "2",
        "-extfile",
        file("node.ext"),
        "-out",
        file("node.crt"),
    ]);
    // The key files are readable by the owner only, as redis-server expects of private keys.
    await Promise.all([fs.promises.chmod(file("ca.key"), 0o600), fs.promises.chmod(file("node.key"), 0o600)]);

    return {
        ca: await fs.promises.readFile(file("ca.crt"), "utf8"),
        caPath: file("ca.crt"),
        certPath: file("node.crt"),
        keyPath: file("node.key"),
    };
}
