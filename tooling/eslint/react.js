import reactHooks from "eslint-plugin-react-hooks";

export const reactConfig = [
  {
    files: ["**/*.tsx", "**/*.ts"],
    plugins: { "react-hooks": reactHooks },
    rules: reactHooks.configs.recommended.rules,
  },
];
