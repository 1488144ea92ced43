/**
 * The program's own files: index.ts and everything under components/, config/ and functions/ — what `pulumi up` loads
 * and transpiles with TypeScript, and what an offline evaluation loads afresh each time. Plain JavaScript, so the
 * TypeScript loader (register.cjs) can use it before any `.ts` file can be loaded.
 */
"use strict";
const path = require("path");

const root = path.resolve(__dirname, "..");
const programEntry = path.join(root, "index.ts");
const programFolders = ["components", "config", "functions"].map((folder) => path.join(root, folder) + path.sep);

/** Whether `file` (an absolute path) is one of the program's own files. */
function isProgramFile(file) {
    return file === programEntry || programFolders.some((folder) => file.startsWith(folder));
}

module.exports = { programEntry, isProgramFile };
