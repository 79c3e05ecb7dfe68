/* The skill pickers of /vaardigheden and /matchen search the Dutch and English label, the
   aliases and the key of each skill (the option's "search" field), not only the label shown. */
window.dashMantineFunctions = Object.assign({}, window.dashMantineFunctions, {
    rkSkillFilter: function (input) {
        var search = (input.search || "").toLowerCase().trim();
        var limit = input.limit || 50;
        var options = input.options || [];
        if (!search) { return options.slice(0, limit); }
        var starts = [], contains = [];
        for (var i = 0; i < options.length; i++) {
            var option = options[i];
            var label = String(option.label || "").toLowerCase();
            var haystack = label + " " + String(option.search || "");
            if (label.indexOf(search) === 0) { starts.push(option); }
            else if (haystack.indexOf(search) !== -1) { contains.push(option); }
            if (starts.length >= limit) { break; }
        }
        return starts.concat(contains).slice(0, limit);
    }
});
