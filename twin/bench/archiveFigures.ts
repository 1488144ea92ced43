/**
 * What the handler archive is made of: sizes, files, and which files the handler actually loads at run time (the
 * rest is shipped but never read — type declarations, READMEs, unused modules).
 */
import * as fs from "fs";
import * as path from "path";
import * as zlib from "zlib";
import type { LambdaArchive } from "../archive/lambdaArchive";

export interface ArchiveFigures {
    readonly zippedBytes: number;
    readonly unzippedBytes: number;
    readonly files: number;
    /** Paths containing `@pulumi`: must be none (the program's SDK has no business in the function). */
    readonly pulumiFiles: number;
    /** Unzipped bytes per top-level entry (`__index.js`, `node_modules/<package>`). */
    readonly bytesByPackage: Readonly<Record<string, number>>;
    /** TypeScript declarations (`.d.ts`): never loaded by Node. */
    readonly typeDeclarations: { readonly files: number; readonly bytes: number };
    /** Files the handler's process loaded while starting (from a cold run); undefined until measured. */
    readonly loadedAtRunTime?: { readonly files: number; readonly unzippedBytes: number; readonly zippedBytes: number };
}

function packageOf(file: string): string {
    const parts = file.split(path.sep);
    if (parts[0] !== "node_modules") return parts[0];
    return parts[1].startsWith("@") ? parts.slice(0, 3).join("/") : parts.slice(0, 2).join("/");
}

/** Bytes one file adds to a zip: deflated data plus its local header and central directory entry. */
function zippedFileBytes(dir: string, file: string): number {
    const raw = fs.readFileSync(path.join(dir, file));
    return 30 + 46 + 2 * Buffer.byteLength(file) + Math.min(zlib.deflateRawSync(raw).length, raw.length);
}

export function archiveFigures(archive: LambdaArchive, loadedFiles?: readonly string[]): ArchiveFigures {
    const size = (file: string): number => fs.statSync(path.join(archive.dir, file)).size;
    const bytesByPackage: Record<string, number> = {};
    for (const file of archive.files)
        bytesByPackage[packageOf(file)] = (bytesByPackage[packageOf(file)] ?? 0) + size(file);
    const declarations = archive.files.filter((file) => file.endsWith(".d.ts"));
    let loadedAtRunTime: ArchiveFigures["loadedAtRunTime"];
    if (loadedFiles !== undefined) {
        // The child reports absolute paths; keep those inside the archive, relative to it.
        const root = fs.realpathSync(archive.dir) + path.sep;
        const inside = loadedFiles.map((file) => fs.realpathSync(file)).filter((file) => file.startsWith(root));
        const relative = [...new Set(inside.map((file) => file.slice(root.length)))];
        // package.json files are read by the resolver, not `require`d as modules: count them as needed.
        const needed = [...new Set([...relative, ...archive.files.filter((file) => file.endsWith("package.json"))])];
        loadedAtRunTime = {
            files: relative.length,
            unzippedBytes: needed.reduce((sum, file) => sum + size(file), 0),
            zippedBytes: needed.reduce((sum, file) => sum + zippedFileBytes(archive.dir, file), 22),
        };
    }
    return {
        zippedBytes: archive.zippedBytes,
        unzippedBytes: archive.unzippedBytes,
        files: archive.files.length,
        pulumiFiles: archive.files.filter((file) => file.includes("@pulumi")).length,
        bytesByPackage,
        typeDeclarations: {
            files: declarations.length,
            bytes: declarations.reduce((sum, file) => sum + size(file), 0),
        },
        loadedAtRunTime,
    };
}
