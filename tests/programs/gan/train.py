"""python -m gan.train --data_dir D --sample_dir S --checkpoint_dir C"""
import os

import numpy as np
import tensorflow as tf

from . import model
from .utils import load_folder, save_images

flags = tf.app.flags
flags.DEFINE_string("data_dir", "data", "folder of training PNGs")
flags.DEFINE_string("sample_dir", "samples", "where the sample grids go")
flags.DEFINE_string("checkpoint_dir", "checkpoint", "where the checkpoints go")
flags.DEFINE_integer("epochs", 2, "epochs")
flags.DEFINE_integer("size", 8, "image side")
FLAGS = flags.FLAGS


def main(_):
    tf.set_random_seed(1)
    np.random.seed(1)
    images = load_folder(FLAGS.data_dir, FLAGS.size).reshape(-1, FLAGS.size ** 2)
    z = tf.placeholder(tf.float32, [None, 4], name="z")
    x = tf.placeholder(tf.float32, [None, FLAGS.size ** 2], name="x")
    fake = model.generator(z, FLAGS.size ** 2)
    real_logits, fake_logits = model.discriminator(x), model.discriminator(fake, reuse=True)
    loss = tf.nn.sigmoid_cross_entropy_with_logits
    d_loss = tf.reduce_mean(loss(labels=tf.ones_like(real_logits), logits=real_logits)) + \
        tf.reduce_mean(loss(labels=tf.zeros_like(fake_logits), logits=fake_logits))
    g_loss = tf.reduce_mean(loss(labels=tf.ones_like(fake_logits), logits=fake_logits))
    d_vars = [v for v in tf.trainable_variables() if v.name.startswith("discriminator")]
    g_vars = [v for v in tf.trainable_variables() if v.name.startswith("generator")]
    d_step = tf.train.AdamOptimizer(1e-3).minimize(d_loss, var_list=d_vars)
    g_step = tf.train.AdamOptimizer(1e-3).minimize(g_loss, var_list=g_vars)
    saver = tf.train.Saver()
    for folder in (FLAGS.sample_dir, FLAGS.checkpoint_dir):
        if not os.path.exists(folder):
            os.makedirs(folder)
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        for epoch in range(FLAGS.epochs):
            noise = np.random.uniform(-1, 1, [len(images), 4])
            _, dl = sess.run([d_step, d_loss], {x: images, z: noise})
            _, gl = sess.run([g_step, g_loss], {z: noise})
            samples = sess.run(fake, {z: noise[:4]}).reshape(-1, FLAGS.size, FLAGS.size)
            path = os.path.join(FLAGS.sample_dir, "train_{:02d}.png".format(epoch))
            label = save_images(samples, 2, 2, path, "epoch {}".format(epoch))
            print("Epoch: [{}] d_loss: {:.4f}, g_loss: {:.4f} label {}".format(
                epoch, dl, gl, label))
            saver.save(sess, os.path.join(FLAGS.checkpoint_dir, "gan.model"),
                       global_step=epoch)


if __name__ == "__main__":
    tf.app.run()
