/** IPv4 CIDR arithmetic for the VPC's subnet plan; pure, so validation can use it before any resource exists. */

export interface Ipv4Cidr {
    /** The network address as an unsigned 32-bit number. */
    readonly network: number;
    readonly prefixLength: number;
}

/** "a.b.c.d/n" as a 32-bit address and a prefix length, host bits as given; undefined for anything else. */
function parseAddressAndPrefix(text: string): { address: number; prefixLength: number } | undefined {
    const match = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})\/(\d{1,2})$/.exec(text.trim());
    if (!match) return undefined;
    const octets = match.slice(1, 5).map(Number);
    const prefixLength = Number(match[5]);
    if (octets.some((octet) => octet > 255) || prefixLength > 32) return undefined;
    return { address: octets.reduce((value, octet) => value * 256 + octet, 0), prefixLength };
}

/** Clears the host bits. */
function networkAddress(address: number, prefixLength: number): number {
    const size = 2 ** (32 - prefixLength);
    return Math.floor(address / size) * size;
}

/** Parses "a.b.c.d/n"; returns undefined for anything else, including host bits set (10.0.0.1/16). */
export function parseIpv4Cidr(text: string): Ipv4Cidr | undefined {
    const parsed = parseAddressAndPrefix(text);
    if (!parsed || networkAddress(parsed.address, parsed.prefixLength) !== parsed.address) return undefined;
    return { network: parsed.address, prefixLength: parsed.prefixLength };
}

/** The same block with its host bits cleared, to suggest in an error message. */
export function networkOf(text: string): string | undefined {
    const parsed = parseAddressAndPrefix(text);
    return parsed && `${formatIpv4(networkAddress(parsed.address, parsed.prefixLength))}/${parsed.prefixLength}`;
}

export function formatIpv4(address: number): string {
    return [24, 16, 8, 0].map((shift) => Math.floor(address / 2 ** shift) % 256).join(".");
}

/** RFC 1918 private ranges; AWS accepts others, but a public range in a VPC shadows real internet addresses. */
export function isPrivateIpv4(cidr: Ipv4Cidr): boolean {
    const ranges: Array<[string, number]> = [
        ["10.0.0.0", 8],
        ["172.16.0.0", 12],
        ["192.168.0.0", 16],
    ];
    return ranges.some(([base, prefix]) => {
        const range = parseIpv4Cidr(`${base}/${prefix}`)!;
        return cidr.prefixLength >= prefix && networkAddress(cidr.network, prefix) === range.network;
    });
}

/** AWS keeps five addresses of every subnet (network, router, DNS, future use, broadcast). */
export function usableAddresses(prefixLength: number): number {
    return 2 ** (32 - prefixLength) - 5;
}

/**
 * One isolated subnet per AZ, as large as the VPC allows but no larger than a /20 (4091 nodes' worth), so the rest of a
 * large VPC stays free for other subnets.
 */
export function subnetPrefixLength(vpcPrefixLength: number, zoneCount: number): number {
    return Math.max(vpcPrefixLength + Math.ceil(Math.log2(zoneCount)), 20);
}
