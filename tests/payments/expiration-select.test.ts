import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { createElement } from "react";
import { renderToStaticMarkup } from "react-dom/server";
import { ExpirationSelect, expirationYears } from "../../components/expiration-select";

const render = (props: Parameters<typeof ExpirationSelect>[0]) => renderToStaticMarkup(createElement(ExpirationSelect, props));

describe("ExpirationSelect (Freeside's expselect)", () => {
  test("two selects named by the prefix, months 1..12 unpadded, years this..+10", () => {
    const html = render({ prefix: "card", date: "2027-03-31", currentYear: 2026 });
    assert.match(html, /<select[^>]*name="card_month"/);
    assert.match(html, /<select[^>]*name="card_year"/);
    const months = [...html.matchAll(/<option value="(\d+)"[^>]*>(\d+)<\/option>/g)].map((m) => m[1]);
    assert.deepEqual(months.slice(0, 12), ["1", "2", "3", "4", "5", "6", "7", "8", "9", "10", "11", "12"]);
    assert.match(html, /<option value="3" selected="">3<\/option>/);
    assert.match(html, /<option value="2027" selected="">2027<\/option>/);
    assert.match(html, /<option value="2026">2026<\/option>/);
    assert.match(html, /<option value="2036">2036<\/option>/);
    assert.doesNotMatch(html, /2037|2025/);
  });
  test("m-d-yyyy and an earlier stored year (kept selectable)", () => {
    const html = render({ prefix: "x", date: "11-1-2024", currentYear: 2026 });
    assert.match(html, /<option value="11" selected="">11<\/option>/);
    assert.match(html, /<option value="2024" selected="">2024<\/option>/);
    assert.deepEqual(expirationYears(2026, 2024)[0], 2024);
    assert.deepEqual(expirationYears(2026).length, 11);
  });
  test("no date: placeholders, nothing preselected", () => {
    const html = render({ prefix: "p", currentYear: 2026 });
    assert.doesNotMatch(html, /selected=""[^>]*>\d/);
    assert.match(html, /<option value="" selected="">Month<\/option>/);
  });
  test("accessible: labelled selects (own hidden labels, or the ids given)", () => {
    const own = render({ prefix: "card", currentYear: 2026 });
    assert.match(own, /<label class="visually-hidden" for="card_month">Expiration month<\/label>/);
    assert.match(own, /<label class="visually-hidden" for="card_year">Expiration year<\/label>/);
    assert.match(own, /role="group" aria-label="Expiration date"/);
    const ext = render({ prefix: "card", currentYear: 2026, labelId: "exp", monthLabelId: "m-l", yearLabelId: "y-l", error: "Expired card" });
    assert.match(ext, /aria-labelledby="exp"/);
    assert.match(ext, /aria-labelledby="m-l"/);
    assert.doesNotMatch(ext, /<label/);
    assert.match(ext, /aria-invalid="true"/);
    assert.match(ext, /id="card_expiration-error" role="alert">Expired card/);
  });
});
