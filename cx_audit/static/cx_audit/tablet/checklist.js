/* The checklist of one audit: every applicable item of the framework, section after section,
   with big answer controls. A tap records the answer at once (no confirmation: sixty yes/no
   items take sixty taps); only the item that changed is redrawn, with the progress and the
   provisional scores, so answering stays instant on a slow tablet. */

import {
  applicableItems,
  itemState,
  photoCounts,
  photoStateText,
  priceHintText,
  progressTexts,
  sectionScoreText,
  sectionsOf,
  termsHintText,
  valueText,
} from "./checklist-state.js";
import { isBlank, parseDecimal, scoreAudit } from "./score.js";
import { h, metresText, OUTLET_LABELS, plural, replace } from "./ui.js";

const TYPE_HINTS = {
  yes_no: "Yes or no",
  rating: "Rate from 1 (poor) to 5 (excellent)",
  number: "Count",
  price: "Observed and list price",
  text: "Write what you found",
  signage_text: "Type the sign exactly as shown",
  photo: "Take a photo",
};

export class Checklist {
  /* ctx: {audit, location, framework, brand, answers: {code: answer}, photos: [photo], pending,
     save(code, patch), clear(code), addPhotos(code, files), removePhoto(photo), submit(),
     choose(code, keepMine), photoUrl(photo)} */
  constructor(root, ctx) {
    this.root = root;
    this.ctx = ctx;
    this.items = applicableItems(ctx.framework, ctx.location.outlet_type);
    this.nodes = new Map();
    this.showMissing = (ctx.audit.missing || []).length > 0;
    this.debounce = new Map();
  }

  get readOnly() {
    return this.ctx.audit.status !== "draft";
  }

  score() {
    return scoreAudit({
      framework: this.ctx.framework,
      outletType: this.ctx.location.outlet_type,
      answers: this.ctx.answers,
      photoCounts: photoCounts(this.ctx.photos),
      policy: this.ctx.brand?.policy || {},
    });
  }

  render() {
    const { audit, location, framework } = this.ctx;
    this.sections = sectionsOf(framework, this.items);
    this.progress = h("progress", { max: String(this.items.length), value: "0", "aria-labelledby": "progress-text" });
    this.progressText = h("span", { id: "progress-text" });
    this.missingButton = h("button", { type: "button", class: "button missing-button", onclick: () => this.jumpToMissing() });
    this.scoreBadge = h("span", { class: "provisional-total", "aria-live": "polite" });
    this.steps = h(
      "nav",
      { class: "steps", "aria-label": "Sections" },
      this.sections.map((section, index) =>
        h("button", { type: "button", class: "step", dataset: { section: section.code }, onclick: () => this.jumpTo(`sec-${section.code}`) },
          h("span", { class: "step-name" }, `${index + 1}. ${section.name}`),
          h("span", { class: "step-count" })),
      ),
    );
    this.submitButton = h("button", { type: "button", class: "button primary big submit-audit", onclick: () => this.submit() }, "Submit audit");
    this.submitNote = h("p", { class: "submit-note", role: "status" });
    replace(
      this.root,
      h("h1", {}, location.name, " ", h("small", {}, location.code)),
      h("p", { class: "muted audit-meta" },
        `${OUTLET_LABELS[location.outlet_type] || location.outlet_type} · ${location.city || ""} · framework ${framework.name} v${framework.version} · `,
        `${{ scheduled: "scheduled visit", unannounced: "unannounced visit", self_assessment: "self-assessment" }[audit.kind] || audit.kind}`),
      this.checkinBanner(),
      this.conflictPanel(),
      h("div", { class: "checklist-head" },
        h("div", { class: "progress-line" }, this.progress, this.progressText, this.scoreBadge, this.missingButton),
        this.steps),
      this.sections.map((section, index) => this.renderSection(section, index)),
      h("div", { class: "submit-area" }, this.submitNote, this.submitButton),
    );
    this.refresh();
  }

  checkinBanner() {
    const { audit, brand } = this.ctx;
    const checkin = audit.checkin || {};
    const fence = brand?.geofence_m ?? 300;
    const distance = audit.server?.checkin_distance_m ?? checkin.distanceM;
    const outside = audit.server?.outside_geofence ?? checkin.outside;
    if (checkin.error && distance === undefined) {
      return h("p", { class: "notice warn checkin", role: "status" }, `No check-in position: ${checkin.error} The audit goes on without it.`);
    }
    if (distance === null || distance === undefined) {
      const why = checkin.latitude === undefined ? "no check-in position was recorded for this audit" : "the store has no coordinates to compare with";
      return h("p", { class: "notice checkin", role: "status" }, `Checked in; ${why}.`);
    }
    if (outside) {
      return h("p", { class: "notice warn checkin", role: "alert" },
        `You checked in ${metresText(distance)} from the store, beyond the brand's ${fence} m geofence. `,
        "You can go on; HQ will see this visit flagged.");
    }
    return h("p", { class: "notice ok checkin", role: "status" }, `Checked in ${metresText(distance)} from the store.`);
  }

  conflictPanel() {
    const conflicts = this.ctx.audit.conflicts || [];
    if (!conflicts.length) return null;
    const byCode = Object.fromEntries(this.items.map((item) => [item.code, item]));
    return h("section", { class: "card warn conflicts", role: "alert", "aria-labelledby": "conflicts-title" },
      h("h2", { id: "conflicts-title" }, `Changed on another device: ${plural(conflicts.length, "item")}`),
      h("p", {}, "Nothing of yours is lost. For each item, keep your answer or take the other one."),
      h("ul", {}, conflicts.map(({ item, server }) =>
        h("li", {},
          h("strong", {}, `${item} · ${byCode[item]?.question || ""}`),
          h("span", { class: "conflict-values" },
            ` Other device: ${valueText(byCode[item], server)} · This tablet: ${valueText(byCode[item], this.ctx.answers[item])}`),
          h("span", { class: "conflict-actions" },
            h("button", { type: "button", class: "button", onclick: () => this.ctx.choose(item, true) }, `Keep mine (${item})`),
            h("button", { type: "button", class: "button", onclick: () => this.ctx.choose(item, false) }, `Take theirs (${item})`))))));
  }

  renderSection(section, index) {
    const items = this.items.filter((item) => item.section === section.code);
    const scoreNode = h("span", { class: "section-score" });
    this.sectionScores = this.sectionScores || new Map();
    this.sectionScores.set(section.code, scoreNode);
    return h("section", { class: "cl-section", id: `sec-${section.code}`, "aria-labelledby": `sec-title-${section.code}` },
      h("h2", { id: `sec-title-${section.code}` }, `${index + 1}. ${section.name} `, scoreNode),
      items.map((item) => this.renderItem(item)));
  }

  renderItem(item) {
    const id = `item-${item.code}`;
    const node = h("article", { class: "cl-item", id, dataset: { item: item.code }, role: "group", "aria-labelledby": `q-${item.code}` });
    this.nodes.set(item.code, node);
    this.fillItem(item);
    return node;
  }

  fillItem(item) {
    const node = this.nodes.get(item.code);
    // A redraw keeps open what the auditor opened (guidance, comment and photos).
    const wasOpen = new Set([...node.querySelectorAll("details[open]")].map((d) => d.className));
    const answer = this.ctx.answers[item.code];
    const disabled = this.readOnly;
    const controls = this.controls(item, answer, disabled);
    const alt = [];
    if (item.na_allowed) alt.push(this.choiceButton(item, "N/A", answer?.kind === "na", () => this.ctx.save(item.code, { kind: "na" }), disabled, `N/A: ${item.code}`));
    if (item.cannot_check_allowed) {
      alt.push(this.choiceButton(item, "Cannot check", answer?.kind === "cannot_check", () => this.ctx.save(item.code, { kind: "cannot_check" }), disabled, `Cannot check: ${item.code}`));
    }
    // Taking an answer back: one small control beside the alternatives, shown once there is
    // something to take back (answering itself stays one tap).
    if (!disabled) {
      alt.push(h("button", { type: "button", class: "button clear-answer", "aria-label": `Clear answer: ${item.code}`, dataset: { key: "clear" }, hidden: isBlank(answer), onclick: () => this.clear(item) }, "Clear answer"));
    }
    const photos = this.ctx.photos.filter((photo) => photo.item === item.code);
    const photoFirst = item.answer_type === "photo" || item.photo_required;
    const commentId = `comment-${item.code}`;
    const comment = h("details", { class: "comment", open: !!answer?.comment || wasOpen.has("comment") || (!photoFirst && photos.length > 0) },
      h("summary", {}, photoFirst ? "Comment" : "Comment and photos"),
      h("label", { for: commentId, class: "visually-hidden" }, `Comment on ${item.code}`),
      h("textarea", { id: commentId, rows: "3", disabled, value: answer?.comment || "", oninput: (e) => this.later(item, { comment: e.target.value }), onchange: (e) => this.now(item, { comment: e.target.value }) }),
      photoFirst ? null : this.photoBlock(item, photos, disabled));
    replace(
      node,
      h("div", { class: "item-head" },
        h("span", { class: "item-code" }, item.code),
        item.critical ? h("span", { class: "tag critical" }, "critical") : null,
        item.photo_required ? h("span", { class: "tag" }, "photo required") : null,
        h("span", { class: "item-state", dataset: { state: "" } })),
      h("h3", { class: "question", id: `q-${item.code}` }, item.question),
      item.guidance ? h("details", { class: "guidance", open: wasOpen.has("guidance") }, h("summary", {}, "Guidance"), h("p", {}, item.guidance)) : null,
      item.example_photo_url
        ? h("figure", { class: "example-photo" }, h("img", { src: item.example_photo_url, alt: `Example of what good looks like: ${item.question}`, loading: "lazy" }), h("figcaption", {}, "Example"))
        : null,
      h("div", { class: `answer-controls type-${item.answer_type}` }, controls),
      alt.length ? h("div", { class: "alt-answers" }, alt) : null,
      photoFirst ? this.photoBlock(item, photos, disabled) : null,
      h("p", { class: "item-problem", id: `problem-${item.code}` }),
      comment,
    );
    this.updateItemState(item);
  }

  choiceButton(item, label, pressed, onclick, disabled, ariaLabel) {
    return h("button", { type: "button", class: `choice${pressed ? " selected" : ""}`, "aria-pressed": pressed ? "true" : "false", "aria-label": ariaLabel, dataset: { key: label }, disabled, onclick }, label);
  }

  controls(item, answer, disabled) {
    const value = answer?.kind === "value" ? answer : null;
    const code = item.code;
    switch (item.answer_type) {
      case "yes_no":
        return [
          h("button", { type: "button", class: `choice yes${value?.yes === true ? " selected" : ""}`, "aria-pressed": String(value?.yes === true), dataset: { key: "yes" }, disabled, onclick: () => this.ctx.save(code, { kind: "value", yes: true }) }, "Yes"),
          h("button", { type: "button", class: `choice no${value?.yes === false ? " selected" : ""}`, "aria-pressed": String(value?.yes === false), dataset: { key: "no" }, disabled, onclick: () => this.ctx.save(code, { kind: "value", yes: false }) }, "No"),
        ];
      case "rating":
        return h("div", { class: "rating", role: "group", "aria-label": `Rating for ${code}, 1 to 5` },
          [1, 2, 3, 4, 5].map((r) => {
            const on = value && parseDecimal(value.number) === r;
            return h("button", { type: "button", class: `choice${on ? " selected" : ""}`, "aria-pressed": String(!!on), "aria-label": `${r} of 5`, dataset: { key: `rate-${r}` }, disabled, onclick: () => this.ctx.save(code, { kind: "value", number: String(r) }) }, String(r));
          }));
      case "number": {
        const target = item.targets?.[this.ctx.location.outlet_type];
        return this.numberField(item, "number", target !== undefined ? `Count (target ${Number(target)})` : "Count", value?.number, disabled);
      }
      case "price":
        return [
          this.numberField(item, "number", "Observed price", value?.number, disabled, false),
          this.numberField(item, "list_price", "List price", value?.list_price, disabled, false),
          this.priceHint(item),
        ];
      case "text":
      case "signage_text": {
        const id = `text-${code}`;
        const label = item.answer_type === "signage_text" ? "Sign text, exactly as shown" : "Your answer";
        return h("div", { class: "field" },
          h("label", { for: id }, label),
          h("textarea", { id, rows: "3", disabled, value: value?.text || "", oninput: (e) => this.later(item, { kind: "value", text: e.target.value }), onchange: (e) => this.now(item, { kind: "value", text: e.target.value }) }),
          this.termsHint(item));
      }
      case "photo":
        return h("p", { class: "muted" }, TYPE_HINTS.photo);
      default:
        return h("p", { class: "muted" }, `Unknown answer type ${item.answer_type}`);
    }
  }

  numberField(item, field, label, current, disabled, steppers = true) {
    const id = `${field}-${item.code}`;
    const input = h("input", { id, name: id, type: "text", inputmode: "decimal", autocomplete: "off", disabled, value: current ?? "",
      oninput: (e) => this.later(item, { kind: "value", [field]: e.target.value.trim() || null }),
      onchange: (e) => this.now(item, { kind: "value", [field]: e.target.value.trim() || null }) });
    const step = (delta) => {
      const now = parseDecimal(input.value) ?? 0;
      input.value = String(Math.max(0, now + delta));
      this.now(item, { kind: "value", [field]: input.value });
    };
    return h("div", { class: "field number-field" },
      h("label", { for: id }, label),
      steppers
        ? h("div", { class: "stepper" },
            h("button", { type: "button", class: "choice step-down", "aria-label": `${label}: one less`, dataset: { key: `down-${field}` }, disabled, onclick: () => step(-1) }, "−"),
            input,
            h("button", { type: "button", class: "choice step-up", "aria-label": `${label}: one more`, dataset: { key: `up-${field}` }, disabled, onclick: () => step(1) }, "+"))
        : input);
  }

  priceHint(item) {
    const text = priceHintText(item.price_bands?.[this.ctx.location.outlet_type]);
    return text ? h("p", { class: "help" }, text) : null;
  }

  termsHint(item) {
    const text = termsHintText(item);
    return text ? h("p", { class: "help" }, text) : null;
  }

  photoBlock(item, photos, disabled) {
    const inputId = `photo-${item.code}`;
    return h("div", { class: "photos" },
      h("ul", { class: "thumbs", "aria-label": `Photos of ${item.code}` },
        photos.map((photo, index) =>
          h("li", { class: `thumb state-${photo.state}` },
            h("img", { src: this.ctx.photoUrl(photo), alt: `Photo ${index + 1} of ${item.code}`, width: "96", height: "96" }),
            h("span", { class: "thumb-state" }, photoStateText(photo)),
            disabled
              ? null
              : h("button", { type: "button", class: "button thumb-remove", "aria-label": `Remove photo ${index + 1} of ${item.code}`, dataset: { key: `remove-${index}` }, onclick: () => this.ctx.removePhoto(photo) }, "Remove")))),
      disabled
        ? null
        : h("label", { class: "button photo-add", for: inputId },
            "Add photo",
            h("input", { id: inputId, class: "visually-hidden", type: "file", accept: "image/*", capture: "environment", multiple: true,
              onchange: (e) => { const files = [...e.target.files]; e.target.value = ""; if (files.length) this.ctx.addPhotos(item.code, files); } })));
  }

  /* Typing is saved after a short pause, and at once when the field is left. */
  later(item, patch) {
    const key = `${item.code}:${Object.keys(patch)}`; // one timer per field: price has two
    clearTimeout(this.debounce.get(key));
    this.debounce.set(key, setTimeout(() => this.now(item, patch), 700));
  }

  now(item, patch) {
    clearTimeout(this.debounce.get(`${item.code}:${Object.keys(patch)}`));
    this.ctx.save(item.code, patch, { quiet: true });
  }

  /* Take the answer back; typing still waiting to be saved would otherwise bring it back. */
  clear(item) {
    for (const [key, timer] of this.debounce) {
      if (key.startsWith(`${item.code}:`)) {
        clearTimeout(timer);
        this.debounce.delete(key);
      }
    }
    this.ctx.clear(item.code);
  }

  /* Called by the app after a change was saved: redraw that item (unless the auditor is typing
     in it), then the progress. */
  itemChanged(code, { redraw = true } = {}) {
    const item = this.items.find((i) => i.code === code);
    if (!item) return;
    const node = this.nodes.get(code);
    const focused = this.root.ownerDocument.activeElement;
    const active = focused && node.contains(focused) ? focused : null;
    if (redraw && !active?.matches("input, textarea")) {
      // Redrawn controls replace the tapped one: give the focus back to its successor.
      const key = active?.dataset.key;
      this.fillItem(item);
      if (key) {
        // The tapped control may be gone (a cleared answer, a removed photo): then the item's first.
        const next = node.querySelector(`[data-key="${key}"]`) || node.querySelector("button:not([disabled]), input, textarea");
        next?.focus({ preventScroll: true });
      }
    } else {
      this.updateItemState(item);
    }
    this.refresh();
  }

  updateItemState(item) {
    const node = this.nodes.get(item.code);
    const waiting = this.ctx.pending.items.has(item.code) || this.ctx.photos.some((p) => p.item === item.code && p.state === "pending");
    const photos = photoCounts(this.ctx.photos)[item.code] || 0;
    const { label, state, problem, message, clearable } = itemState(item, this.ctx.answers[item.code], { photos, waiting, showMissing: this.showMissing });
    const stateNode = node.querySelector(".item-state");
    if (stateNode) {
      stateNode.textContent = label;
      stateNode.dataset.state = state;
    }
    const clear = node.querySelector(".clear-answer");
    if (clear) clear.hidden = !clearable; // typing is saved without a redraw
    node.classList.toggle("is-missing", !!problem);
    node.classList.toggle("show-missing", !!problem && this.showMissing);
    node.classList.toggle("is-answered", !problem);
    const problemNode = node.querySelector(".item-problem");
    if (problemNode) problemNode.textContent = message;
  }

  refresh() {
    const result = this.score();
    const texts = progressTexts(result, this.ctx.audit.status);
    this.result = result;
    this.progress.value = result.answered;
    this.progressText.textContent = texts.progress;
    this.missingButton.textContent = texts.missingButton;
    this.missingButton.disabled = result.missing.length === 0;
    this.scoreBadge.textContent = texts.score;
    for (const button of this.steps.querySelectorAll(".step")) {
      const section = result.sections[button.dataset.section];
      button.querySelector(".step-count").textContent = `${section.answered}/${section.applicable}`;
      button.classList.toggle("done", section.answered === section.applicable);
    }
    for (const [code, node] of this.sectionScores) {
      const section = result.sections[code];
      node.textContent = sectionScoreText(section);
    }
    this.submitButton.hidden = this.readOnly;
    this.submitNote.textContent = texts.submitNote;
  }

  jumpTo(id) {
    const target = this.root.ownerDocument.getElementById(id);
    if (!target) return;
    target.scrollIntoView({ behavior: "smooth", block: "start" });
    const focusable = target.querySelector("button:not([disabled]), textarea, input");
    focusable?.focus({ preventScroll: true });
  }

  jumpToMissing() {
    this.showMissing = true;
    for (const item of this.items) this.updateItemState(item);
    const first = this.result?.missing[0];
    if (first) this.jumpTo(`item-${first.item}`);
  }

  submit() {
    const result = this.score();
    if (result.missing.length) {
      this.jumpToMissing();
      this.submitNote.textContent = `${plural(result.missing.length, "item")} still missing: ${result.missing.map((m) => m.item).join(", ")}.`;
      return;
    }
    this.ctx.submit();
  }
}
