/**
 * The packages Pulumi puts in the Lambda archive, worked out once per process. `CallbackFunction` asks
 * `pulumi.runtime.computeCodePaths` for them on every evaluation, and Pulumi answers by loading the whole installed
 * `node_modules` tree (npm's Arborist) and walking the `dependencies` of package.json: about a tenth of a warm
 * evaluation. The answer depends only on package.json, the installed packages, the working directory and the options
 * (which packages to add or leave out), never on the program's configuration, so within one process the same options
 * get the same paths. Each call still gets new `FileArchive`/`FileAsset` objects, built the way Pulumi builds them, so
 * no evaluation shares an asset with another. Only the offline twin installs this; a deployment calls Pulumi's own.
 */
import * as pulumi from "@pulumi/pulumi";

type CodePathOptions = pulumi.runtime.CodePathOptions;
type ComputeCodePaths = (options?: CodePathOptions) => Promise<Map<string, pulumi.asset.Asset | pulumi.asset.Archive>>;

/** Each path and whether it is a directory (an archive) or a file (an asset), in Pulumi's order. */
type CodePathList = ReadonlyArray<readonly [path: string, directory: boolean]>;

const runtime = pulumi.runtime as unknown as { computeCodePaths: ComputeCodePaths };
const pulumiComputeCodePaths = runtime.computeCodePaths;
const known = new Map<string, Promise<CodePathList>>();
let enabled = true;

/** Routes Pulumi's `computeCodePaths` through the cache; calling it again changes nothing. */
export function reuseCodePaths(): void {
    if (runtime.computeCodePaths === cachedComputeCodePaths) return;
    runtime.computeCodePaths = cachedComputeCodePaths;
}

/** Runs `run` with every `computeCodePaths` call answered by Pulumi itself (for the test that compares both). */
export async function withoutCodePathsCache<T>(run: () => Promise<T>): Promise<T> {
    enabled = false;
    try {
        return await run();
    } finally {
        enabled = true;
    }
}

function cachedComputeCodePaths(options?: CodePathOptions): ReturnType<ComputeCodePaths> {
    if (!enabled) return pulumiComputeCodePaths(options);
    // Pulumi resolves package.json and the relative paths it returns from the working directory.
    const key = JSON.stringify([process.cwd(), optionsKey(options)]);
    let list = known.get(key);
    if (!list) {
        list = pulumiComputeCodePaths(options).then(listOf);
        // A failure is not kept: the next evaluation asks Pulumi again and gets its own error.
        list.catch(() => known.delete(key));
        known.set(key, list);
    }
    return list.then(assetsOf);
}

/** `logResource` only names the resource in an error message; the rest decides the paths. */
function optionsKey(options: CodePathOptions = {}): unknown {
    return [options.extraIncludePaths ?? [], options.extraIncludePackages ?? [], options.extraExcludePackages ?? []];
}

function listOf(paths: Map<string, pulumi.asset.Asset | pulumi.asset.Archive>): CodePathList {
    return [...paths].map(([path, asset]) => [path, asset instanceof pulumi.asset.FileArchive] as const);
}

/** New assets, the way Pulumi makes them from each path (a directory becomes a FileArchive, a file a FileAsset). */
function assetsOf(list: CodePathList): Map<string, pulumi.asset.Asset | pulumi.asset.Archive> {
    return new Map(
        list.map(([path, directory]) => [
            path,
            directory ? new pulumi.asset.FileArchive(path) : new pulumi.asset.FileAsset(path),
        ]),
    );
}
