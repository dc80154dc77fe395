import type { Page } from "playwright-core";

/** Smallest tap target we accept on a phone, in CSS pixels (WCAG 2.2, 2.5.8 Target Size (Minimum)). */
export const minTarget = 24;

/**
 * What is wrong with the page's layout at the current (phone) width: the page scrolls
 * sideways (and which elements stick out), or a control is smaller than a fingertip can hit.
 * Checkboxes and radios count by their label when the label is the thing a person taps.
 */
export function phoneLayoutProblems(page: Page): Promise<string[]> {
  // Sent as source text: a transpiler's helpers (tsx's __name) do not exist in the page.
  return page.evaluate<string[]>(`(${inPage})(${minTarget})`);
}

const inPage = String.raw`function (min) {
  const problems = [];
  const width = document.documentElement.clientWidth;
  const describe = (el) => {
    const text = (el.textContent || "").trim().replace(/\s+/g, " ").slice(0, 40);
    const id = el.getAttribute("data-testid") || el.getAttribute("name") || el.getAttribute("aria-label") || "";
    const cls = typeof el.className === "string" && el.className.trim() ? "." + el.className.trim().split(/\s+/).join(".") : "";
    return "<" + el.tagName.toLowerCase() + cls + (id ? " " + id : "") + '> "' + text + '"';
  };
  const scrollsSideways = (el) => {
    for (let node = el.parentElement; node; node = node.parentElement) {
      const overflow = getComputedStyle(node).overflowX;
      if (overflow === "auto" || overflow === "scroll" || overflow === "hidden" || overflow === "clip") return true;
    }
    return false;
  };
  const visible = (el) => {
    const rect = el.getBoundingClientRect();
    return rect.width > 1 && rect.height > 1 && getComputedStyle(el).visibility !== "hidden" &&
      !el.closest(".visually-hidden, [hidden], dialog:not([open])");
  };
  if (document.documentElement.scrollWidth > width + 1) {
    const culprits = Array.from(document.body.querySelectorAll("*"))
      .filter((el) => visible(el) && el.getBoundingClientRect().right > width + 1 && !scrollsSideways(el))
      .slice(0, 5)
      .map(describe);
    problems.push("the page is " + document.documentElement.scrollWidth + " px wide at " + width + " px: " + culprits.join(", "));
  }
  const targets = document.querySelectorAll('button, a.button-link, select, summary, [role="button"], input:not([type="hidden"]), textarea');
  for (const el of Array.from(targets)) {
    if (!visible(el)) continue;
    let rect = el.getBoundingClientRect();
    let w = rect.width, h = rect.height;
    if (el instanceof HTMLInputElement && (el.type === "checkbox" || el.type === "radio" || el.type === "range")) {
      const label = el.closest("label");
      if (label) { const r = label.getBoundingClientRect(); w = r.width; h = r.height; }
      else if (el.type === "range") h = Math.max(h, min);
    }
    if (w < min || h < min) problems.push(describe(el) + " is " + Math.round(w) + "×" + Math.round(h) + " px (under " + min + "×" + min + ")");
  }
  return problems;
}`;
