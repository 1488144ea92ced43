// typescript-eslint's recommended rules on every TypeScript file; formatting is prettier's job (eslint-config-prettier
// turns off the rules that would disagree with it). `npm run lint` must pass clean.
import eslint from "@eslint/js";
import prettier from "eslint-config-prettier";
import tseslint from "typescript-eslint";

export default tseslint.config(
    { ignores: ["node_modules/", "policy/node_modules/", "**/*.cjs"] },
    eslint.configs.recommended,
    tseslint.configs.recommended,
    prettier,
    {
        rules: {
            // Deliberate: the handler requires ioredis and cluster-key-slot at run time so Pulumi's closure serializer
            // does not capture them, and the tools load Pulumi lazily so a refused configuration answers in seconds.
            "@typescript-eslint/no-require-imports": "off",
            // Unused names fail the typecheck already (noUnusedLocals/Parameters); `_name` marks an intentional one.
            "@typescript-eslint/no-unused-vars": [
                "error",
                { argsIgnorePattern: "^_", varsIgnorePattern: "^_", destructuredArrayIgnorePattern: "^_" },
            ],
        },
    },
    {
        // Resource inputs as the engine records them are untyped (Pulumi's MockResourceArgs.inputs is `any`).
        files: ["twin/program/**", "twin/plan/**", "tests/**"],
        rules: { "@typescript-eslint/no-explicit-any": "off" },
    },
    {
        // chai's property assertions (`expect(x).to.be.NaN`) are expressions by design.
        files: ["tests/**"],
        rules: { "@typescript-eslint/no-unused-expressions": "off" },
    },
);
