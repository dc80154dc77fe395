import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { CONTACT_PLACEHOLDER, parsePolicyText, policyTextWithContact } from "./parse-policy-text";
import { policyText } from "./policy-text.generated";
import { currentPrivacyPolicy, definePrivacyPolicy, versionsSince } from "./privacy-policy";
import { policyVersions } from "./policy-versions";

const shipped = readFileSync(new URL("../../policy/privacy-policy.txt", import.meta.url), "utf8");

describe("the shipped policy", () => {
  it("is embedded as written (run `pnpm --filter @animateimg/privacy policy:embed` after editing the text)", () => {
    expect(policyText).toBe(shipped);
  });

  it("states the current version's effective date in its text", () => {
    const policy = currentPrivacyPolicy();
    const spelled = new Date(`${policy.effectiveDate}T00:00:00Z`).toLocaleDateString("en-US", {
      year: "numeric",
      month: "long",
      day: "numeric",
      timeZone: "UTC",
    });
    expect(policy.text).toContain(`Effective date: ${spelled}`);
  });

  it("has one contact placeholder, in the Contact Us section", () => {
    const blocks = parsePolicyText(policyText);
    expect(blocks.filter((b) => b.kind === "contact")).toHaveLength(1);
    const contactUs = blocks.findIndex((b) => b.kind === "heading" && b.text === "Contact Us");
    const contact = blocks.findIndex((b) => b.kind === "contact");
    expect(contact).toBeGreaterThan(contactUs);
    expect(contactUs).toBeGreaterThan(0);
    expect(policyTextWithContact(policyText, "privacy@example.test")).not.toContain(CONTACT_PLACEHOLDER);
  });

  it("parses headings, numbered subsections, lists and paragraphs", () => {
    const blocks = parsePolicyText(policyText);
    expect(blocks[0]).toEqual({ kind: "title", text: "Privacy Policy" });
    const headings = blocks.filter((b) => b.kind === "heading").map((b) => (b.kind === "heading" ? b.text : ""));
    expect(headings).toEqual([
      "Introduction",
      "Information We Collect",
      "How We Use Third-Party AI Model Providers",
      "Data Storage and Security",
      "How We Share Information",
      "Your Choices and Rights",
      "Children's Privacy",
      "International Users",
      "Changes to This Policy",
      "Contact Us",
    ]);
    expect(blocks.filter((b) => b.kind === "subheading")).toHaveLength(7);
    const firstList = blocks.find((b) => b.kind === "list");
    expect(firstList).toMatchObject({
      kind: "list",
      items: [expect.stringMatching(/^What we collect: Your name/), expect.stringMatching(/^Purpose:/)],
    });
  });

  it("has change notes in every language for every version, newest first", () => {
    for (const version of policyVersions) {
      expect(version.changes.en.length).toBeGreaterThan(0);
      expect(version.changes.es.length).toBe(version.changes.en.length);
    }
    const dates = policyVersions.map((v) => v.effectiveDate);
    expect([...dates].sort().reverse()).toEqual(dates);
  });
});

describe("versionsSince", () => {
  const older = { version: "v1", effectiveDate: "2026-01-01", changes: { en: ["one"], es: ["uno"] } };
  const newer = { version: "v2", effectiveDate: "2026-06-01", changes: { en: ["two"], es: ["dos"] } };
  const policy = definePrivacyPolicy({ text: "Policy", history: [newer, older] });

  it("lists what was published after the accepted version", () => {
    expect(versionsSince(policy, "v1").map((v) => v.version)).toEqual(["v2"]);
    expect(versionsSince(policy, "v2")).toEqual([]);
  });

  it("lists everything for someone who never accepted, or accepted a version this build does not know", () => {
    expect(versionsSince(policy, null).map((v) => v.version)).toEqual(["v2", "v1"]);
    expect(versionsSince(policy, "v0").map((v) => v.version)).toEqual(["v2", "v1"]);
  });
});
