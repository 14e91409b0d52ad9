/* Search-as-you-type pickers (core/pickers.py). In the search box the arrow keys move the
   highlight through the matches and Enter chooses the highlighted one (the first if none is)
   instead of submitting the form. A multiple picker lists what is chosen, each with a hidden
   input for its value and a button to remove it; Enter, Space or a click in the matches adds
   one. Listeners sit on the document: htmx replaces the matches as the user types. */
(function () {
  "use strict";

  function parts(element) {
    var picker = element.closest("[data-picker]");
    if (!picker) { return null; }
    return {picker: picker, multiple: picker.dataset.picker === "multiple",
            search: picker.querySelector("input[type=search]"),
            matches: picker.querySelector("select")};
  }

  function selectable(select) {
    return Array.prototype.filter.call(select.options, function (o) { return !o.disabled; });
  }

  function move(select, step) {
    var options = selectable(select);
    if (!options.length) { return; }
    var at = options.indexOf(select.options[select.selectedIndex]);
    var next = at < 0 ? (step > 0 ? 0 : options.length - 1)
      : Math.min(Math.max(at + step, 0), options.length - 1);
    options[next].selected = true;
  }

  // The highlighted match, else the first one ("—", nothing, is chosen only on purpose).
  function highlighted(select) {
    var option = select.options[select.selectedIndex];
    if (option && !option.disabled) { return option; }
    return selectable(select).filter(function (o) { return o.value !== ""; })[0];
  }

  function add(p, option) {
    if (!option || option.value === "") { return; }
    var list = p.picker.querySelector(".picker-chosen");
    var inputs = list.querySelectorAll("input[type=hidden]");
    for (var i = 0; i < inputs.length; i++) {
      if (inputs[i].value === option.value) { return; }
    }
    var item = document.createElement("li");
    var input = document.createElement("input");
    input.type = "hidden";
    input.name = p.picker.dataset.name;
    input.value = option.value;
    var label = document.createElement("span");
    label.textContent = option.textContent;
    var remove = document.createElement("button");
    remove.type = "button";
    remove.className = "picker-remove";
    remove.textContent = "×";
    remove.setAttribute("aria-label", list.dataset.removeLabel + " " + option.textContent);
    item.append(input, label, " ", remove);
    list.appendChild(item);
  }

  function choose(p) {
    var option = highlighted(p.matches);
    if (!option) { return; }
    if (p.multiple) {
      add(p, option);
    } else {
      option.selected = true;
      p.matches.dispatchEvent(new Event("change", {bubbles: true}));
    }
  }

  document.addEventListener("keydown", function (event) {
    var p = parts(event.target);
    if (!p) { return; }
    if (event.target === p.search) {
      if (event.key === "ArrowDown" || event.key === "ArrowUp") {
        event.preventDefault();
        move(p.matches, event.key === "ArrowDown" ? 1 : -1);
      } else if (event.key === "Enter") {
        event.preventDefault();  // never submits the form
        choose(p);
      }
    } else if (p.multiple && event.target === p.matches &&
               (event.key === "Enter" || event.key === " ")) {
      event.preventDefault();
      add(p, highlighted(p.matches));
    }
  });

  document.addEventListener("click", function (event) {
    var p = parts(event.target);
    if (!p || !p.multiple) { return; }
    if (event.target.classList.contains("picker-remove")) {
      event.target.closest("li").remove();
      p.search.focus();
    } else if (event.target === p.matches || event.target.parentNode === p.matches) {
      add(p, event.target === p.matches ? p.matches.options[p.matches.selectedIndex]
        : event.target);
    }
  });
}());
