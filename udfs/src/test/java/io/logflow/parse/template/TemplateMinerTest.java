package io.logflow.parse.template;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class TemplateMinerTest {

    @Test
    void variablePartsAreMaskedBeforeMining() {
        TemplateMiner miner = new TemplateMiner(1);
        TemplateMatch a = miner.add("Connection from 10.0.0.1:5432 closed after 35ms", 0);
        TemplateMatch b = miner.add("Connection from 192.168.1.7:80 closed after 120ms", 0);
        assertThat(a.text).isEqualTo("Connection from <NUM>:<NUM> closed after <NUM>ms");
        assertThat(b.id).isEqualTo(a.id);
        assertThat(miner.size()).isEqualTo(1);
    }

    @Test
    void aTemplateKeepsItsIdWhileItGeneralises() {
        TemplateMiner miner = new TemplateMiner(1);
        TemplateMatch first = miner.add("User alice logged in from the console", 0);
        assertThat(first.text).isEqualTo("User alice logged in from the console");
        TemplateMatch second = miner.add("User bob logged in from the console", 0);
        assertThat(second.text).isEqualTo("User <*> logged in from the console");
        assertThat(second.id).isEqualTo(first.id);
        assertThat(miner.add("User carol logged in from the console", 0).id).isEqualTo(first.id);
    }

    @Test
    void idsDependOnSeedAndFoundingLineOnly() {
        String message = "Deleted file /tmp/upload-77.csv for request 8f507cfc-0000-4000-8000-000000000001";
        TemplateMatch one = new TemplateMiner(7).add(message, 0);
        TemplateMatch two = new TemplateMiner(7).add(message, 0);
        TemplateMatch other = new TemplateMiner(8).add(message, 0);
        assertThat(one.text).isEqualTo("Deleted file <PATH> for request <UUID>");
        assertThat(two.id).isEqualTo(one.id).matches("[0-9a-f]{16}");
        assertThat(other.id).isNotEqualTo(one.id);
    }
}
