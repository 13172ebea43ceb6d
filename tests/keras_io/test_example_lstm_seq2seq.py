"""keras-io example "Character-level recurrent sequence-to-sequence model"
(examples/nlp/lstm_seq2seq.py), run on kerlite and Keras 3.

Sections: Prepare the data (one-hot encoder/decoder arrays), Build the model, Train the model
(and save it), Run inference (sampling): rebuild the encoder and decoder models from the
reloaded model's layers and decode greedily.
Data: a few made-up English/French pairs instead of fra.txt; latent_dim 16 instead of 256 and
1 epoch, to keep the test quick.
"""

import numpy as np
import pytest

from _guide import assert_close, copy_weights, layer_counts, layer_shapes, run_both

pytestmark = pytest.mark.parity

LATENT_DIM = 16
PAIRS = [("Go.", "Va !"), ("Run!", "Cours !"), ("Hi.", "Salut !"), ("Wait!", "Attends !"),
         ("Stop!", "Arrête !"), ("I see.", "Je vois."), ("Help!", "À l'aide !"),
         ("Hello!", "Bonjour !")]


def prepare_the_data():
    input_texts, target_texts = [], []
    input_characters, target_characters = set(), set()
    for input_text, target_text in PAIRS:
        target_text = "\t" + target_text + "\n"
        input_texts.append(input_text)
        target_texts.append(target_text)
        for char in input_text:
            input_characters.add(char)
        for char in target_text:
            target_characters.add(char)
    input_characters = sorted(list(input_characters))
    target_characters = sorted(list(target_characters))
    num_encoder_tokens = len(input_characters)
    num_decoder_tokens = len(target_characters)
    max_encoder_seq_length = max([len(txt) for txt in input_texts])
    max_decoder_seq_length = max([len(txt) for txt in target_texts])
    input_token_index = dict([(char, i) for i, char in enumerate(input_characters)])
    target_token_index = dict([(char, i) for i, char in enumerate(target_characters)])
    encoder_input_data = np.zeros(
        (len(input_texts), max_encoder_seq_length, num_encoder_tokens), dtype="float32")
    decoder_input_data = np.zeros(
        (len(input_texts), max_decoder_seq_length, num_decoder_tokens), dtype="float32")
    decoder_target_data = np.zeros(
        (len(input_texts), max_decoder_seq_length, num_decoder_tokens), dtype="float32")
    for i, (input_text, target_text) in enumerate(zip(input_texts, target_texts)):
        for t, char in enumerate(input_text):
            encoder_input_data[i, t, input_token_index[char]] = 1.0
        encoder_input_data[i, t + 1:, input_token_index[" "]] = 1.0
        for t, char in enumerate(target_text):
            decoder_input_data[i, t, target_token_index[char]] = 1.0
            if t > 0:
                decoder_target_data[i, t - 1, target_token_index[char]] = 1.0
        decoder_input_data[i, t + 1:, target_token_index[" "]] = 1.0
        decoder_target_data[i, t:, target_token_index[" "]] = 1.0
    return dict(num_encoder_tokens=num_encoder_tokens, num_decoder_tokens=num_decoder_tokens,
                max_decoder_seq_length=max_decoder_seq_length,
                target_token_index=target_token_index,
                encoder_input_data=encoder_input_data, decoder_input_data=decoder_input_data,
                decoder_target_data=decoder_target_data)


DATA = prepare_the_data()


def build_the_model(lib):
    keras = lib.keras
    latent_dim = LATENT_DIM
    encoder_inputs = keras.Input(shape=(None, DATA["num_encoder_tokens"]))
    encoder = keras.layers.LSTM(latent_dim, return_state=True)
    encoder_outputs, state_h, state_c = encoder(encoder_inputs)
    encoder_states = [state_h, state_c]
    decoder_inputs = keras.Input(shape=(None, DATA["num_decoder_tokens"]))
    decoder_lstm = keras.layers.LSTM(latent_dim, return_sequences=True, return_state=True)
    decoder_outputs, _, _ = decoder_lstm(decoder_inputs, initial_state=encoder_states)
    decoder_dense = keras.layers.Dense(DATA["num_decoder_tokens"], activation="softmax")
    decoder_outputs = decoder_dense(decoder_outputs)
    return keras.Model([encoder_inputs, decoder_inputs], decoder_outputs)


def inference_models(lib, model):
    keras = lib.keras
    latent_dim = LATENT_DIM
    encoder_inputs = model.input[0]
    encoder_outputs, state_h_enc, state_c_enc = model.layers[2].output
    encoder_states = [state_h_enc, state_c_enc]
    encoder_model = keras.Model(encoder_inputs, encoder_states)

    decoder_inputs = model.input[1]
    decoder_state_input_h = keras.Input(shape=(latent_dim,))
    decoder_state_input_c = keras.Input(shape=(latent_dim,))
    decoder_states_inputs = [decoder_state_input_h, decoder_state_input_c]
    decoder_lstm = model.layers[3]
    decoder_outputs, state_h_dec, state_c_dec = decoder_lstm(
        decoder_inputs, initial_state=decoder_states_inputs)
    decoder_states = [state_h_dec, state_c_dec]
    decoder_dense = model.layers[4]
    decoder_outputs = decoder_dense(decoder_outputs)
    decoder_model = keras.Model([decoder_inputs] + decoder_states_inputs,
                                [decoder_outputs] + decoder_states)
    return encoder_model, decoder_model


def decode_sequence(encoder_model, decoder_model, input_seq):
    reverse_target_char_index = dict((i, char) for char, i in DATA["target_token_index"].items())
    num_decoder_tokens = DATA["num_decoder_tokens"]
    states_value = encoder_model.predict(input_seq, verbose=0)
    target_seq = np.zeros((1, 1, num_decoder_tokens))
    target_seq[0, 0, DATA["target_token_index"]["\t"]] = 1.0
    stop_condition = False
    decoded_sentence = ""
    while not stop_condition:
        output_tokens, h, c = decoder_model.predict([target_seq] + states_value, verbose=0)
        sampled_token_index = np.argmax(output_tokens[0, -1, :])
        sampled_char = reverse_target_char_index[sampled_token_index]
        decoded_sentence += sampled_char
        if sampled_char == "\n" or len(decoded_sentence) > DATA["max_decoder_seq_length"]:
            stop_condition = True
        target_seq = np.zeros((1, 1, num_decoder_tokens))
        target_seq[0, 0, sampled_token_index] = 1.0
        states_value = [h, c]
    return decoded_sentence


def test_prepare_data_and_build_the_model():
    assert DATA["encoder_input_data"].sum(axis=-1).min() == 1.0  # one-hot at every step
    mine, theirs = run_both(build_the_model)
    assert layer_shapes(mine) == layer_shapes(theirs)
    assert layer_counts(mine) == layer_counts(theirs)
    copy_weights(mine, theirs)
    inputs = [DATA["encoder_input_data"], DATA["decoder_input_data"]]
    assert_close(mine.predict(inputs, verbose=0), theirs.predict(inputs, verbose=0),
                 atol=1e-5)


@pytest.mark.slow
def test_train_save_and_run_inference(tmp_path):
    def section(lib):
        keras = lib.keras
        model = build_the_model(lib)
        model.compile(optimizer="rmsprop", loss="categorical_crossentropy",
                      metrics=["accuracy"])
        model.fit([DATA["encoder_input_data"], DATA["decoder_input_data"]],
                  DATA["decoder_target_data"], batch_size=4, epochs=1, validation_split=0.2,
                  verbose=0)
        path = str(tmp_path / f"{lib.name}_s2s_model.keras")
        model.save(path)
        model = keras.models.load_model(path)
        encoder_model, decoder_model = inference_models(lib, model)
        return model, encoder_model, decoder_model

    (mine, mine_encoder, mine_decoder), (theirs, their_encoder, their_decoder) = \
        run_both(section)
    assert [len(m.layers) for m in (mine_encoder, mine_decoder)] == [
        len(m.layers) for m in (their_encoder, their_decoder)]
    copy_weights(mine, theirs)  # the inference models share the trained layers' weights
    for seq_index in range(3):
        input_seq = DATA["encoder_input_data"][seq_index:seq_index + 1]
        mine_sentence = decode_sequence(mine_encoder, mine_decoder, input_seq)
        their_sentence = decode_sequence(their_encoder, their_decoder, input_seq)
        assert mine_sentence == their_sentence
