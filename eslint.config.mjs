import typescript from "@typescript-eslint/eslint-plugin";
import parser from "@typescript-eslint/parser";
import roblox from "eslint-plugin-roblox-ts";

export default [
	{ ignores: ["out/**", "build/**", "include/**", "node_modules/**", "tests/runtime/**"] },
	{
		files: ["src/**/*.{ts,tsx}", "tests/**/*.{ts,tsx}"],
		languageOptions: {
			parser,
			parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
		},
		plugins: { "@typescript-eslint": typescript },
		rules: {
			...typescript.configs["eslint-recommended"].overrides[0].rules,
			...typescript.configs.recommended.rules,
			"@typescript-eslint/no-floating-promises": "error",
			"@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_" }],
			"@typescript-eslint/explicit-module-boundary-types": "off",
			"@typescript-eslint/no-namespace": "off",
			// Roblox's require takes a ModuleScript instance; it is not a CommonJS import.
			"@typescript-eslint/no-require-imports": "off",
		},
	},
	{ ...roblox.configs.recommended, files: ["src/**/*.{ts,tsx}", "tests/**/*.{ts,tsx}"] },
];
